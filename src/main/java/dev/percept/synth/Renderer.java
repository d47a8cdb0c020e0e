package dev.percept.synth;

import java.util.List;

/**
 * A ray caster: one ray per pixel through a pinhole camera, intersected exactly with every
 * object (convex shapes as intersections of half-spaces and a cylinder, spheres analytically, the
 * torus by sphere tracing) and with the ground plane. The nearest hit gives the colour, the masks
 * and the depth of the pixel, so they cannot disagree. Shading: ambient plus Lambert plus a
 * Blinn-Phong highlight, shadows cast by the objects onto the ground and onto each other, and a
 * fog towards the sky colour with distance. Pure double arithmetic with {@link StrictMath}: the
 * same scene gives the same pixels on every machine.
 */
public final class Renderer {
    /** Depth of the sky and of ground beyond it, metres. */
    public static final double FAR = 10.0;
    private static final double FOG_START = 5.0;
    private static final double EPS = 1e-6;
    private static final int CONE_SIDES = 24;
    private static final int TORUS_STEPS = 96;
    private static final double TORUS_MAJOR = 0.7;
    private static final double TORUS_MINOR = 0.3;
    /** Bounding-sphere radius per category (unit size), around the point {@code (0, 1, 0)}. */
    private static final double[] BOUND = {1.7321, 1.0001, 1.4143, 1.4143, 1.7321, 1.0001};
    private static final double[] CUBE_PLANES = {
        1, 0, 0, 1, -1, 0, 0, 1, 0, 1, 0, 2, 0, -1, 0, 0, 0, 0, 1, 1, 0, 0, -1, 1};
    private static final double[] SLAB_PLANES = {0, 1, 0, 2, 0, -1, 0, 0};
    private static final double[] PYRAMID_PLANES = pyramid();
    private static final double[] CONE_PLANES = cone();

    private Renderer() {}

    /** Renders {@code scene} at {@code size} x {@code size} pixels. */
    public static Rendering render(Scene scene, int size) {
        Camera cam = scene.camera();
        double[] eye = cam.position();
        double[][] axes = cam.axes();
        double[] f = axes[0];
        double[] r = axes[1];
        double[] u = axes[2];
        double[] light = scene.light().direction();
        List<SceneObject> objects = scene.objects();
        int n = size * size;
        int[] rgb = new int[n];
        int[] category = new int[n];
        int[] instance = new int[n];
        float[] depth = new float[n];
        Hit hit = new Hit();
        Hit probe = new Hit();
        double[] d = new double[3];
        double[] colour = new double[3];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double px = (j + 0.5 - size / 2.0) / cam.focal();
                double py = -(i + 0.5 - size / 2.0) / cam.focal();
                for (int k = 0; k < 3; k++) {
                    d[k] = f[k] + px * r[k] + py * u[k];
                }
                double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                d[0] /= norm;
                d[1] /= norm;
                d[2] /= norm;
                double along = d[0] * f[0] + d[1] * f[1] + d[2] * f[2];
                int nearest = -1;
                double best = Double.POSITIVE_INFINITY;
                for (int o = 0; o < objects.size(); o++) {
                    if (intersect(objects.get(o), eye, d, best, probe)) {
                        best = probe.t;
                        nearest = o;
                        hit.copy(probe);
                    }
                }
                int p = i * size + j;
                if (nearest >= 0) {
                    double[] point = at(eye, d, hit.t);
                    SceneObject obj = objects.get(nearest);
                    double lit = lit(objects, nearest, point, hit.nx, hit.ny, hit.nz, light, probe);
                    shade(obj.colour().rgb(), hit, d, light, scene.light(), lit, colour);
                    double z = hit.t * along;
                    fog(colour, z, scene.background().sky());
                    category[p] = obj.category().id();
                    instance[p] = nearest + 1;
                    depth[p] = (float) Math.min(z, FAR);
                } else {
                    double z = d[1] < 0 ? (-eye[1] / d[1]) * along : Double.POSITIVE_INFINITY;
                    if (z < FAR) {
                        double[] point = at(eye, d, -eye[1] / d[1]);
                        double lit = lit(objects, -1, point, 0, 1, 0, light, probe);
                        double[] g = scene.background().ground();
                        double[] tint = scene.light().tint();
                        double shade = scene.light().ambient() + scene.light().intensity() * Math.max(0, light[1]) * lit;
                        for (int k = 0; k < 3; k++) {
                            colour[k] = g[k] * tint[k] * shade;
                        }
                        fog(colour, z, scene.background().sky());
                    } else {
                        System.arraycopy(scene.background().sky(), 0, colour, 0, 3);
                    }
                    depth[p] = (float) Math.min(z, FAR);
                }
                rgb[p] = pack(colour);
            }
        }
        return new Rendering(size, rgb, category, instance, depth);
    }

    /** 1 when the light reaches {@code point}, 0 in the shadow of another object. */
    private static double lit(List<SceneObject> objects, int self, double[] point, double nx, double ny, double nz,
            double[] light, Hit probe) {
        double[] start = {point[0] + nx * 1e-4, point[1] + ny * 1e-4, point[2] + nz * 1e-4};
        for (int o = 0; o < objects.size(); o++) {
            if (o != self && intersect(objects.get(o), start, light, Double.POSITIVE_INFINITY, probe)) {
                return 0;
            }
        }
        return 1;
    }

    private static void shade(double[] base, Hit hit, double[] d, double[] light, Light l, double lit, double[] out) {
        double diffuse = Math.max(0, hit.nx * light[0] + hit.ny * light[1] + hit.nz * light[2]) * lit;
        double[] h = normalize(new double[] {light[0] - d[0], light[1] - d[1], light[2] - d[2]});
        double s = Math.max(0, hit.nx * h[0] + hit.ny * h[1] + hit.nz * h[2]);
        s = s * s * s;
        s = s * s;
        s = s * s;
        s = s * s; // s^24
        double spec = 0.3 * l.intensity() * s * lit;
        double[] tint = l.tint();
        for (int k = 0; k < 3; k++) {
            out[k] = (base[k] * (l.ambient() + l.intensity() * diffuse) + spec) * tint[k];
        }
    }

    private static void fog(double[] colour, double z, double[] sky) {
        double t = Math.min(1, Math.max(0, (z - FOG_START) / (FAR - FOG_START)));
        t = t * t;
        for (int k = 0; k < 3; k++) {
            colour[k] = colour[k] * (1 - t) + sky[k] * t;
        }
    }

    private static int pack(double[] c) {
        int r = channel(c[0]);
        int g = channel(c[1]);
        int b = channel(c[2]);
        return (r << 16) | (g << 8) | b;
    }

    private static int channel(double v) {
        return (int) Math.round(Math.min(1, Math.max(0, v)) * 255);
    }

    /** A ray's nearest intersection with one object: distance and world normal (unit length). */
    static final class Hit {
        double t;
        double nx;
        double ny;
        double nz;

        void copy(Hit o) {
            t = o.t;
            nx = o.nx;
            ny = o.ny;
            nz = o.nz;
        }
    }

    /** Whether the ray {@code eye + t d} (d unit length) hits {@code obj} at some 0 < t < tMax. */
    static boolean intersect(SceneObject obj, double[] eye, double[] d, double tMax, Hit hit) {
        double s = obj.size();
        double bound = BOUND[obj.category().ordinal()] * s;
        double cx = eye[0] - obj.x();
        double cy = eye[1] - s;
        double cz = eye[2] - obj.z();
        double b = cx * d[0] + cy * d[1] + cz * d[2];
        double disc = b * b - (cx * cx + cy * cy + cz * cz - bound * bound);
        if (disc < 0) {
            return false;
        }
        double sq = Math.sqrt(disc);
        double tNear = -b - sq;
        double tFar = -b + sq;
        if (tFar < EPS || tNear > tMax) {
            return false;
        }
        // into the object's unit frame: translate to its foot, rotate by -yaw, scale by 1/size
        double c = StrictMath.cos(obj.yaw());
        double sn = StrictMath.sin(obj.yaw());
        double lx = eye[0] - obj.x();
        double lz = eye[2] - obj.z();
        double[] o = {(c * lx - sn * lz) / s, eye[1] / s, (sn * lx + c * lz) / s};
        double[] v = {(c * d[0] - sn * d[2]) / s, d[1] / s, (sn * d[0] + c * d[2]) / s};
        boolean found = switch (obj.category()) {
            case CUBE -> convex(CUBE_PLANES, false, false, o, v, hit);
            case PYRAMID -> convex(PYRAMID_PLANES, false, false, o, v, hit);
            case CONE -> convex(CONE_PLANES, false, true, o, v, hit);
            case CYLINDER -> convex(SLAB_PLANES, true, false, o, v, hit);
            case SPHERE -> sphere(o, v, hit);
            case TORUS -> torus(o, v, Math.max(tNear, EPS), tFar, s, hit);
        };
        if (!found || hit.t >= tMax || hit.t < EPS) {
            return false;
        }
        // normal back to the world frame: rotate by +yaw
        double nx = c * hit.nx + sn * hit.nz;
        double nz = -sn * hit.nx + c * hit.nz;
        double len = Math.sqrt(nx * nx + hit.ny * hit.ny + nz * nz);
        hit.nx = nx / len;
        hit.ny /= len;
        hit.nz = nz / len;
        return true;
    }

    /**
     * Kay-Kajiya clipping against half-spaces {@code n . p <= d} (and the unit cylinder {@code x^2 +
     * z^2 <= 1} when asked). A cone's sides get the smooth cone normal, not the facet's.
     */
    private static boolean convex(double[] planes, boolean cylinder, boolean smoothCone, double[] o, double[] v, Hit hit) {
        double tn = Double.NEGATIVE_INFINITY;
        double tf = Double.POSITIVE_INFINITY;
        int enter = -1;
        for (int k = 0; k < planes.length; k += 4) {
            double denom = planes[k] * v[0] + planes[k + 1] * v[1] + planes[k + 2] * v[2];
            double dist = planes[k + 3] - (planes[k] * o[0] + planes[k + 1] * o[1] + planes[k + 2] * o[2]);
            if (Math.abs(denom) < 1e-12) {
                if (dist < 0) {
                    return false;
                }
                continue;
            }
            double t = dist / denom;
            if (denom < 0) {
                if (t > tn) {
                    tn = t;
                    enter = k;
                }
            } else if (t < tf) {
                tf = t;
            }
            if (tn > tf) {
                return false;
            }
        }
        if (cylinder) {
            double a = v[0] * v[0] + v[2] * v[2];
            double b = o[0] * v[0] + o[2] * v[2];
            double cc = o[0] * o[0] + o[2] * o[2] - 1;
            if (a < 1e-12) {
                if (cc > 0) {
                    return false;
                }
            } else {
                double disc = b * b - a * cc;
                if (disc < 0) {
                    return false;
                }
                double sq = Math.sqrt(disc);
                double t0 = (-b - sq) / a;
                double t1 = (-b + sq) / a;
                if (t0 > tn) {
                    tn = t0;
                    enter = -2;
                }
                tf = Math.min(tf, t1);
            }
        }
        if (tn > tf || tn < EPS) {
            return false;
        }
        hit.t = tn;
        double px = o[0] + tn * v[0];
        double pz = o[2] + tn * v[2];
        if (enter == -2) {
            hit.nx = px;
            hit.ny = 0;
            hit.nz = pz;
        } else if (smoothCone && enter >= 4) { // plane 0 is the base
            double rho = Math.max(1e-9, Math.sqrt(px * px + pz * pz));
            hit.nx = 2 * px / rho;
            hit.ny = 1;
            hit.nz = 2 * pz / rho;
        } else {
            hit.nx = planes[enter];
            hit.ny = planes[enter + 1];
            hit.nz = planes[enter + 2];
        }
        return true;
    }

    private static boolean sphere(double[] o, double[] v, Hit hit) {
        double oy = o[1] - 1;
        double a = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        double b = o[0] * v[0] + oy * v[1] + o[2] * v[2];
        double c = o[0] * o[0] + oy * oy + o[2] * o[2] - 1;
        double disc = b * b - a * c;
        if (disc < 0) {
            return false;
        }
        double t = (-b - Math.sqrt(disc)) / a;
        if (t < EPS) {
            return false;
        }
        hit.t = t;
        hit.nx = o[0] + t * v[0];
        hit.ny = oy + t * v[1];
        hit.nz = o[2] + t * v[2];
        return true;
    }

    /** A ring standing upright (axis along local z), centre 1 above the ground, by sphere tracing. */
    private static boolean torus(double[] o, double[] v, double t0, double t1, double size, Hit hit) {
        double t = t0;
        for (int step = 0; step < TORUS_STEPS && t <= t1; step++) {
            double x = o[0] + t * v[0];
            double y = o[1] + t * v[1] - 1;
            double z = o[2] + t * v[2];
            double ring = Math.sqrt(x * x + y * y);
            double q = ring - TORUS_MAJOR;
            double dist = Math.sqrt(q * q + z * z) - TORUS_MINOR;
            if (dist < 1e-4) {
                double k = TORUS_MAJOR / Math.max(ring, 1e-9);
                hit.t = t;
                hit.nx = x - x * k;
                hit.ny = y - y * k;
                hit.nz = z;
                return true;
            }
            t += dist * size; // unit-frame distance times size is world distance along the unit ray
        }
        return false;
    }

    private static double[] pyramid() {
        double k = 1 / Math.sqrt(5);
        return new double[] {0, -1, 0, 0, 2 * k, k, 0, 2 * k, -2 * k, k, 0, 2 * k, 0, k, 2 * k, 2 * k, 0, k, -2 * k, 2 * k};
    }

    /** Base plane then the sides of a 24-sided pyramid around the unit cone of height 2. */
    private static double[] cone() {
        double[] p = new double[4 * (CONE_SIDES + 1)];
        p[1] = -1;
        double k = 1 / Math.sqrt(5);
        for (int i = 0; i < CONE_SIDES; i++) {
            double a = 2 * Math.PI * i / CONE_SIDES;
            int at = 4 * (i + 1);
            p[at] = 2 * StrictMath.cos(a) * k;
            p[at + 1] = k;
            p[at + 2] = 2 * StrictMath.sin(a) * k;
            p[at + 3] = 2 * k;
        }
        return p;
    }

    private static double[] at(double[] o, double[] d, double t) {
        return new double[] {o[0] + t * d[0], o[1] + t * d[1], o[2] + t * d[2]};
    }

    private static double[] normalize(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }
}
