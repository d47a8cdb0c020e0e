package dev.percept.synth;

/**
 * A directional light (the sun) plus ambient light.
 *
 * @param azimuth direction towards the light around the vertical axis, radians
 * @param elevation height of the light above the horizon, radians
 * @param intensity diffuse strength
 * @param ambient light reaching every surface
 * @param tint multiplier per channel (warm or cool light), around 1
 */
public record Light(double azimuth, double elevation, double intensity, double ambient, double[] tint) {
    /** Unit vector pointing towards the light. */
    public double[] direction() {
        double c = StrictMath.cos(elevation);
        return new double[] {c * StrictMath.sin(azimuth), StrictMath.sin(elevation), c * StrictMath.cos(azimuth)};
    }
}
