package dev.percept.synth;

import java.util.SplittableRandom;

/**
 * Random streams derived from the world's seed: one per (dataset, item), so every item depends
 * only on the seed and its own name, whatever is rendered before it.
 */
final class Seeds {
    private Seeds() {}

    static SplittableRandom of(long seed, String stream, long index) {
        long h = mix(seed ^ mix(stream.hashCode() * 0x9E3779B97F4A7C15L));
        return new SplittableRandom(mix(h + index * 0xBF58476D1CE4E5B9L));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
