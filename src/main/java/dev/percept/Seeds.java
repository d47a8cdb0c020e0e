package dev.percept;

import java.util.SplittableRandom;

/**
 * Every random stream percept derives from a user's {@code --seed}, in one place: per position of a
 * run (an epoch's order, a step's dropout or augmentations), and per named item (the synthetic
 * world's datasets), so that each draw depends only on the seed and where it is used, never on
 * what was drawn before it (a resumed run draws what an uninterrupted one would).
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /** The stream of one position of a run (a step, an epoch; negative positions for one-off draws). */
    public static SplittableRandom stream(long seed, long position) {
        return new SplittableRandom(seed ^ (position * GOLDEN));
    }

    /** A seed for one position of a run, decorrelated from its neighbours: the first draw of {@link #stream}. */
    public static long at(long seed, long position) {
        return stream(seed, position).nextLong();
    }

    /** The stream of item {@code index} of the named dataset {@code stream} (the synthetic world's). */
    public static SplittableRandom of(long seed, String stream, long index) {
        long h = mix(seed ^ mix(stream.hashCode() * GOLDEN));
        return new SplittableRandom(mix(h + index * 0xBF58476D1CE4E5B9L));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
