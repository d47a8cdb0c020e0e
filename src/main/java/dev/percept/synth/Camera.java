package dev.percept.synth;

/**
 * A pinhole camera looking at a point on the ground from {@code distance} metres away.
 *
 * @param azimuth angle around the vertical axis, radians
 * @param elevation angle above the ground plane, radians
 * @param focal focal length in pixels (the same in x and y; the principal point is the image centre)
 */
public record Camera(double distance, double azimuth, double elevation, double targetX, double targetZ, double focal) {
    /** The camera centre in world coordinates. */
    public double[] position() {
        double c = StrictMath.cos(elevation);
        return new double[] {targetX + distance * c * StrictMath.sin(azimuth), distance * StrictMath.sin(elevation),
            targetZ + distance * c * StrictMath.cos(azimuth)};
    }

    /** Unit vectors {forward, right, up} of the image plane (up is the image's upward direction). */
    public double[][] axes() {
        double[] eye = position();
        double[] f = unit(targetX - eye[0], -eye[1], targetZ - eye[2]);
        double[] r = unit(-f[2], 0, f[0]);
        double[] u = {r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0]};
        return new double[][] {f, r, u};
    }

    /** Where a world point lands in a {@code size}-pixel image: {column, row, z-depth in metres}. */
    public double[] project(double[] point, int size) {
        double[] eye = position();
        double[][] a = axes();
        double[] rel = {point[0] - eye[0], point[1] - eye[1], point[2] - eye[2]};
        double z = dot(rel, a[0]);
        return new double[] {size / 2.0 + focal * dot(rel, a[1]) / z, size / 2.0 - focal * dot(rel, a[2]) / z, z};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }
}
