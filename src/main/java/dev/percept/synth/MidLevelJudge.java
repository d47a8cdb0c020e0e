package dev.percept.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic humans of the NIGHTS-like set. A variant of a reference scene (same camera and
 * background; its objects traced back to the reference's) is at distance
 *
 * <pre>
 *   d = W_COUNT  * |n_variant - n_ref|
 *     + W_LAYOUT * mean ground displacement of the kept objects (metres)
 *     + W_COLOUR * mean RGB distance of their colours ({@link Colour#distance}, in [0, 1])
 *     + W_POSE   * mean visible yaw change (modulo the shape's symmetry: a quarter turn for
 *                  cubes and pyramids, a half turn for the torus, none for sphere, cylinder
 *                  and cone; scaled to [0, 1])
 *     + W_SHAPE  * share of the kept objects given another category
 *     + W_LIGHT  * turn of the sun around the vertical (scaled to [0, 1])
 * </pre>
 *
 * with W_COUNT = 1, W_LAYOUT = 1, W_COLOUR = 2, W_POSE = 0.6, W_SHAPE = 1, W_LIGHT = 0.2. Each
 * judge perceives each distance with independent Gaussian noise (sigma {@link #NOISE}) and votes
 * for the variant that looks closer.
 */
final class MidLevelJudge {
    static final double W_COUNT = 1.0;
    static final double W_LAYOUT = 1.0;
    static final double W_COLOUR = 2.0;
    static final double W_POSE = 0.6;
    static final double W_SHAPE = 1.0;
    static final double W_LIGHT = 0.2;
    static final double NOISE = 0.3;

    private MidLevelJudge() {}

    /**
     * How much each judged attribute changed from a reference to a variant: the object count
     * difference, the mean ground displacement of the kept objects (metres), their mean colour
     * distance and their mean visible yaw change (both in [0, 1]).
     */
    record Change(double count, double layout, double colour, double pose, double shape, double light) {
        static final List<String> ATTRIBUTES = List.of("count", "layout", "colour", "pose", "shape", "light");

        double[] values() {
            return new double[] {count, layout, colour, pose, shape, light};
        }
    }

    /**
     * What changed from {@code ref} to {@code variant}; {@code source[i]} is the index in {@code
     * ref} of the object variant object {@code i} came from, or -1 for an added object.
     */
    static Change change(Scene refScene, Scene variantScene, int[] source) {
        List<SceneObject> ref = refScene.objects();
        List<SceneObject> variant = variantScene.objects();
        double light = lightChange(refScene.light(), variantScene.light());
        double shape = 0;
        double layout = 0;
        double colour = 0;
        double pose = 0;
        int kept = 0;
        for (int i = 0; i < variant.size(); i++) {
            if (source[i] < 0) {
                continue;
            }
            SceneObject a = ref.get(source[i]);
            SceneObject b = variant.get(i);
            layout += Math.hypot(a.x() - b.x(), a.z() - b.z());
            colour += a.colour().distance(b.colour());
            pose += poseChange(a.category(), a.yaw(), b.yaw());
            shape += a.category() == b.category() ? 0 : 1;
            kept++;
        }
        double count = Math.abs(variant.size() - ref.size());
        return kept == 0 ? new Change(count, 0, 0, 0, 0, light)
                : new Change(count, layout / kept, colour / kept, pose / kept, shape / kept, light);
    }

    /** The change of the sun's direction around the vertical, in [0, 1] (1: from one side to the opposite). */
    static double lightChange(Light a, Light b) {
        double d = Math.abs(a.azimuth() - b.azimuth()) % (2 * Math.PI);
        return Math.min(d, 2 * Math.PI - d) / Math.PI;
    }

    /** The judges' noise-free distance of a change. */
    static double distance(Change c) {
        return W_COUNT * c.count() + W_LAYOUT * c.layout() + W_COLOUR * c.colour() + W_POSE * c.pose() + W_SHAPE * c.shape()
                + W_LIGHT * c.light();
    }

    /** The visible part of a yaw change, in [0, 1]: 1 is the largest change the shape's symmetry allows. */
    static double poseChange(Category category, double from, double to) {
        double period = switch (category) {
            case CUBE, PYRAMID -> Math.PI / 2;
            case TORUS -> Math.PI;
            case SPHERE, CYLINDER, CONE -> 0;
        };
        if (period == 0) {
            return 0;
        }
        double d = Math.abs(to - from) % period;
        return Math.min(d, period - d) / (period / 2);
    }

    /** How many of {@code judges} vote for the left variant. */
    static int leftVotes(SplittableRandom rng, double left, double right, int judges) {
        int votes = 0;
        for (int j = 0; j < judges; j++) {
            if (left + NOISE * Distortions.gaussian(rng) < right + NOISE * Distortions.gaussian(rng)) {
                votes++;
            }
        }
        return votes;
    }
}
