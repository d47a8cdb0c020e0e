package dev.percept.synth;

import dev.percept.Seeds;
import dev.percept.console.Progress;
import dev.percept.io.Npy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The BAPPS-like set in BAPPS' 2afc layout: {@code 2afc/<split>/<subset>/{ref,p0,p1}/<n>.png} and
 * {@code judge/<n>.npy} (float64, shape (1,), the share of judges preferring p1). p0 and p1
 * distort the reference with the subset's distortion at two random strengths; each judge sees
 * each strength with Gaussian noise (sigma {@link #NOISE}) and prefers the weaker. Like BAPPS,
 * train has 2 judges per triplet, val 5.
 */
final class BappsWriter {
    static final double NOISE = 0.1;

    private BappsWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        return split(dir.resolve("2afc/train"), seed, "train", size.bappsTrain(), 2, size, progress)
                + split(dir.resolve("2afc/val"), seed, "val", size.bappsVal(), 5, size, progress);
    }

    private static int split(Path root, long seed, String split, int count, int judges, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        int perSubset = count / Distortions.values().length;
        int s = size.imageSize();
        for (Distortions kind : Distortions.values()) {
            Path subset = root.resolve(kind.label());
            for (int i = 0; i < perSubset; i++) {
                SplittableRandom rng = Seeds.of(seed, "bapps/" + split + "/" + kind.label(), i);
                int[] ref = sampler.any(rng, 5).rendering().rgb();
                double s0 = rng.nextDouble();
                double s1 = rng.nextDouble();
                int[] p0 = kind.apply(ref, s, s0, rng);
                int[] p1 = kind.apply(ref, s, s1, rng);
                int prefer1 = 0;
                for (int j = 0; j < judges; j++) {
                    if (s1 + NOISE * Distortions.gaussian(rng) < s0 + NOISE * Distortions.gaussian(rng)) {
                        prefer1++;
                    }
                }
                String name = String.format(Locale.ROOT, "%06d", i);
                ImageFormats.png(subset.resolve("ref/" + name + ".png"), ref, s);
                ImageFormats.png(subset.resolve("p0/" + name + ".png"), p0, s);
                ImageFormats.png(subset.resolve("p1/" + name + ".png"), p1, s);
                Npy.writeFloat64(subset.resolve("judge/" + name + ".npy"), new long[] {1},
                        new double[] {prefer1 / (double) judges});
                progress.advance(3);
            }
        }
        return perSubset * Distortions.values().length;
    }
}
