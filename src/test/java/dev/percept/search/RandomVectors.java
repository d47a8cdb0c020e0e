package dev.percept.search;

import java.util.List;
import java.util.Random;

/** Unit vectors around random cluster centres: a stand-in for image embeddings with structure. */
final class RandomVectors {
    private RandomVectors() {}

    /** Latent dimensions of the variation inside a cluster: embeddings vary along few directions, not all of them. */
    static final int LATENT = 16;

    /**
     * {@code n} unit vectors of {@code dim}: each is one of {@code clusters} random centres, plus
     * a random combination of {@value #LATENT} directions of that cluster scaled by {@code spread},
     * plus isotropic noise a tenth as large. (Isotropic noise alone in 768 dimensions makes all
     * points of a cluster nearly equidistant: a top ten that means nothing.) The same seed gives
     * the same clusters, so queries drawn with {@link #split} come from the data's distribution.
     */
    static float[][] clustered(int n, int dim, int clusters, double spread, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[clusters][dim];
        float[][][] directions = new float[clusters][LATENT][dim];
        for (int c = 0; c < clusters; c++) {
            for (int i = 0; i < dim; i++) {
                centres[c][i] = (float) r.nextGaussian();
            }
            for (float[] d : directions[c]) {
                for (int i = 0; i < dim; i++) {
                    d[i] = (float) r.nextGaussian();
                }
            }
        }
        float[][] out = new float[n][dim];
        for (int v = 0; v < n; v++) {
            int c = r.nextInt(clusters);
            float[] x = out[v];
            System.arraycopy(centres[c], 0, x, 0, dim);
            for (float[] d : directions[c]) {
                float z = (float) (spread * r.nextGaussian());
                for (int i = 0; i < dim; i++) {
                    x[i] += z * d[i];
                }
            }
            for (int i = 0; i < dim; i++) {
                x[i] += (float) (0.1 * spread * r.nextGaussian());
            }
            normalise(x);
        }
        return out;
    }

    /** The first {@code count} rows (queries) and the rest (data) of {@code all}. */
    static float[][][] split(float[][] all, int count) {
        return new float[][][] {java.util.Arrays.copyOfRange(all, 0, count), java.util.Arrays.copyOfRange(all, count, all.length)};
    }

    static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }

    /** An identity for vectors that no model made (tests and benchmarks). */
    static ModelIdentity identity(int dim) {
        return new ModelIdentity("random", "0".repeat(64), List.of(), "", "default", "cls", "l2", "fp32", 224, "dreamsim", "", "", "", "", dim);
    }

    static String path(int i) {
        return "/vectors/" + (i % 10) + "/" + i + ".png";
    }

    /** Writes the vectors as an index of fake images (paths {@link #path}), merged to one segment. */
    static void write(java.nio.file.Path location, float[][] vectors, Quantization q) {
        try (IndexBuilder b = IndexBuilder.open(location, identity(vectors[0].length), q, true)) {
            for (int i = 0; i < vectors.length; i++) {
                b.put(new IndexedImage(path(i), 1, 1, Integer.toString(i)), vectors[i], new byte[] {1});
            }
            b.forceMerge();
            b.commit();
        }
    }
}
