package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.console.Progress;
import dev.percept.io.FloatArray;
import dev.percept.io.MappedFloats;
import dev.percept.io.Npy;
import dev.percept.tensor.CosineTopK;
import dev.percept.tensor.DenseHead;
import dev.percept.tensor.Engine;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each probe learns a problem it must solve, and kNN weighs votes as DINO does. */
class ProbesTest {
    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    /** Gaussian clusters around random centres: row i belongs to class labels[i]. */
    private static FeatureMatrix clusters(int[] labels, int dim, long seed) {
        Random centres = new Random(99);
        float[][] c = new float[5][dim];
        for (float[] row : c) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) centres.nextGaussian() * 3;
            }
        }
        Random r = new Random(seed);
        float[] data = new float[labels.length * dim];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < dim; j++) {
                data[i * dim + j] = c[labels[i]][j] + (float) r.nextGaussian();
            }
        }
        return FeatureMatrix.of(data, labels.length, dim);
    }

    private static int[] labels(int n, int classes) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % classes;
        }
        return out;
    }

    private static double accuracy(int[] p, int[] y) {
        return ClassificationMetrics.accuracy(p, y).value();
    }

    @Test
    void knnVotesAreWeightedByExpSimilarityOverTemperature() {
        try (FeatureMatrix train = FeatureMatrix.of(new float[] {0.5f, 0.866f, 0.5f, -0.866f, 0.9f, 0.436f}, 3, 2);
                FeatureMatrix query = FeatureMatrix.of(new float[] {2, 0}, 1, 2)) {
            int[] labels = {0, 0, 1};
            // T 0.07: one neighbour at cos 0.9 outweighs two at 0.5 (e^12.9 > 2 e^7.1); T 10: two votes win.
            assertEquals(1, KnnClassifier.classify(train, labels, 2, query, 3, 0.07).predicted()[0]);
            assertEquals(0, KnnClassifier.classify(train, labels, 2, query, 3, 10).predicted()[0]);
            CosineTopK.Neighbours nn = CosineTopK.search(query, train, 2);
            assertEquals(2, nn.index(0, 0));
            assertEquals(0.9, nn.similarity(0, 0), 1e-3);
        }
    }

    @Test
    void knnSeparatesClusters() {
        int[] yTrain = labels(150, 5);
        int[] yTest = labels(50, 5);
        try (FeatureMatrix train = clusters(yTrain, 16, 1); FeatureMatrix test = clusters(yTest, 16, 2)) {
            int[] p = KnnClassifier.classify(train, yTrain, 5, test, 20, 0.07).predicted();
            assertTrue(accuracy(p, yTest) > 0.9, "accuracy " + accuracy(p, yTest));
        }
    }

    @Test
    void linearProbeSeparatesClustersAndReportsItsSweep() {
        int[] yTrain = labels(200, 5);
        int[] yVal = labels(50, 5);
        int[] yTest = labels(50, 5);
        try (FeatureMatrix train = clusters(yTrain, 16, 1);
                FeatureMatrix val = clusters(yVal, 16, 2);
                FeatureMatrix test = clusters(yTest, 16, 3)) {
            LinearProbe.Settings s = new LinearProbe.Settings(List.of(1e-2, 1e-1), List.of(0.0, 1e-3), 30, 3, 32, 4);
            LinearProbe.Result r = LinearProbe.train(train, yTrain, val, yVal, test, 5, s, Progress.silent());
            assertTrue(accuracy(r.predicted(), yTest) > 0.9, "accuracy " + accuracy(r.predicted(), yTest));
            assertEquals(4, r.sweep().size());
            assertTrue(r.chosen().valAccuracy() > 0.9);
            assertTrue(r.chosen().epochs() >= 1 && r.chosen().epochs() <= 30);
        }
    }

    @Test
    void ridgeRegressionRecoversALinearCount() {
        {
            Random r = new Random(3);
            int n = 300;
            int d = 8;
            float[] x = new float[n * d];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) r.nextGaussian();
                }
                y[i] = 10 + 2 * x[i * d] - x[i * d + 1] + 0.01 * r.nextGaussian();
            }
            double[] yTrain = java.util.Arrays.copyOfRange(y, 0, 200);
            double[] yVal = java.util.Arrays.copyOfRange(y, 200, 250);
            double[] yTest = java.util.Arrays.copyOfRange(y, 250, 300);
            RidgeRegression.Result res;
            try (FeatureMatrix train = FeatureMatrix.of(java.util.Arrays.copyOfRange(x, 0, 200 * d), 200, d);
                    FeatureMatrix val = FeatureMatrix.of(java.util.Arrays.copyOfRange(x, 200 * d, 250 * d), 50, d);
                    FeatureMatrix test = FeatureMatrix.of(java.util.Arrays.copyOfRange(x, 250 * d, 300 * d), 50, d)) {
                res = RidgeRegression.fit(train, yTrain, val, yVal, test, RidgeRegression.DEFAULT_PENALTIES);
            }
            double mae = CountingMetrics.metrics(res.predicted(), yTest).get(0).value();
            assertTrue(mae < 0.05, "MAE " + mae);
            assertEquals(1e-4, res.penalty());
        }
    }

    @TempDir
    Path dir;

    /** Tokens [n, 2, 2, 3], as a mapped file, whose channels encode a per-patch value; targets repeat it over 4x4 pixels. */
    private MappedFloats tokens(float[][] patchValues, boolean oneHot, Random r) {
        int n = patchValues.length;
        float[] data = new float[n * 4 * 3];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 4; p++) {
                float v = patchValues[i][p];
                for (int c = 0; c < 3; c++) {
                    float signal = oneHot ? (c == (int) v ? 1 : 0) : (c == 0 ? v : 0);
                    data[(i * 4 + p) * 3 + c] = signal + (float) (0.05 * r.nextGaussian());
                }
            }
        }
        Path file = dir.resolve("tokens" + (oneHot ? "_classes" : "_depth") + ".npy");
        Npy.write(file, new FloatArray(new long[] {n, 2, 2, 3}, data));
        return Npy.map(file);
    }

    private static float[] expand(float[] patchValues, int size) {
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                out[y * size + x] = patchValues[(y * 2 / size) * 2 + x * 2 / size];
            }
        }
        return out;
    }

    @Test
    void denseProbeSegmentsPatchesByTheirTokens() {
        Random r = new Random(8);
        float[][] patches = new float[24][4];
        for (float[] p : patches) {
            for (int k = 0; k < 4; k++) {
                p[k] = r.nextInt(3);
            }
        }
        {
            MappedFloats t = tokens(patches, true, r);
            float[][] targets = new float[24][];
            for (int i = 0; i < 24; i++) {
                targets[i] = expand(patches[i], 8);
                targets[i][0] = 255; // ignored
            }
            DenseHead head = DenseProbe.train(t, targets, DenseProbe.Objective.CLASSES, 3,
                    new DenseProbe.Settings(60, 5e-2, 8, 4, 1), Progress.silent());
            double[][] rows = new double[24][];
            for (int i = 0; i < 24; i++) {
                int[] labels = new int[64];
                float[] full = expand(patches[i], 8);
                for (int k = 0; k < 64; k++) {
                    labels[k] = (int) full[k];
                }
                int[] predicted = head.classes(t, i, 8, 8);
                rows[i] = SegmentationMetrics.imageCounts(predicted, labels, 3);
            }
            head.close();
            double pixelAccuracy = SegmentationMetrics.metrics(rows, 3).get(1).value();
            assertTrue(pixelAccuracy > 0.8, "pixel accuracy " + pixelAccuracy);
        }
    }

    @Test
    void denseProbeRegressesLogDepthAndIgnoresInvalidPixels() {
        Random r = new Random(9);
        float[][] patches = new float[24][4];
        for (float[] p : patches) {
            for (int k = 0; k < 4; k++) {
                p[k] = (float) (r.nextDouble() * 2);
            }
        }
        {
            MappedFloats t = tokens(patches, false, r);
            float[][] targets = new float[24][];
            for (int i = 0; i < 24; i++) {
                targets[i] = expand(patches[i], 8);
                targets[i][5] = Float.NaN;
            }
            float[] predicted;
            try (DenseHead head = DenseProbe.train(t, targets, DenseProbe.Objective.LOG_DEPTH, 1,
                    new DenseProbe.Settings(80, 5e-2, 8, 4, 1), Progress.silent())) {
                predicted = head.predict(t, 0, 8, 8);
            }
            float[] truth = expand(patches[0], 8);
            double err = 0;
            for (int k = 0; k < 64; k++) {
                err += Math.abs(predicted[k] - truth[k]) / 64;
            }
            assertTrue(err < 0.25, "mean abs error of log depth " + err);
        }
    }

    @Test
    void nearestResizeSamplesPixelCentres() {
        float[] m = {1, 2, 3, 4};
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, DenseProbe.nearest(m, 2, 2, 4, 4));
        assertArrayEquals(new float[] {5}, DenseProbe.nearest(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3, 1, 1));
    }
}
