package dev.percept.search;

import java.util.SplittableRandom;

/**
 * Seeded unit vectors shaped like image embeddings, for recall tests and search benchmarks:
 * a low intrinsic dimension inside a high ambient one, clusters that overlap, and a decaying
 * spectrum. Each vector is {@code A z + noise}, normalised: {@code z} lives in {@value #LATENT}
 * latent dimensions whose scales fall as 1/sqrt(1 + i) (a power law, as the eigenvalues of real
 * embeddings do); it is one of {@code clusters} centres drawn with those scales plus a
 * within-cluster offset as large ({@value #SPREAD} times), so neighbouring clusters interleave;
 * {@code A} is a fixed random projection to {@code dim}; the isotropic noise is about
 * {@value #NOISE} of the signal's norm. (Isotropic Gaussian data is the opposite extreme: in 768
 * dimensions every point is nearly equidistant from every other, and a top ten means nothing.)
 */
public final class SyntheticEmbeddings {
    static final int LATENT = 128;
    static final double SPREAD = 1.0;
    static final double NOISE = 0.3;

    private SyntheticEmbeddings() {}

    /** {@code n} unit vectors of {@code dim}; the same arguments give the same vectors. */
    public static float[][] generate(int n, int dim, int clusters, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] scale = new double[LATENT];
        double signal = 0;
        for (int i = 0; i < LATENT; i++) {
            scale[i] = 1 / Math.sqrt(1 + i);
            signal += scale[i] * scale[i];
        }
        // ||A z||^2 is about ||z||^2 (unit columns); noise of per-coordinate sd tau has norm tau sqrt(dim).
        double tau = NOISE * Math.sqrt((1 + SPREAD * SPREAD) * signal / dim);
        float[][] projection = new float[LATENT][dim]; // rows of A^T: x = sum_i z_i a_i
        for (float[] a : projection) {
            for (int j = 0; j < dim; j++) {
                a[j] = (float) (r.nextGaussian() / Math.sqrt(dim));
            }
        }
        double[][] centres = new double[clusters][LATENT];
        for (double[] c : centres) {
            for (int i = 0; i < LATENT; i++) {
                c[i] = scale[i] * r.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (int v = 0; v < n; v++) {
            double[] centre = centres[r.nextInt(clusters)];
            float[] x = out[v];
            for (int j = 0; j < dim; j++) {
                x[j] = (float) (tau * r.nextGaussian());
            }
            for (int i = 0; i < LATENT; i++) {
                float z = (float) (centre[i] + SPREAD * scale[i] * r.nextGaussian());
                float[] a = projection[i];
                for (int j = 0; j < dim; j++) {
                    x[j] += z * a[j];
                }
            }
            normalise(x);
        }
        return out;
    }

    /** Scales {@code v} to unit length in place (a zero vector stays zero). */
    public static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (s == 0) {
            return;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }
}
