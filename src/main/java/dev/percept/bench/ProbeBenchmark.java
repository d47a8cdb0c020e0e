package dev.percept.bench;

import dev.percept.console.Progress;
import dev.percept.eval.ClassificationMetrics;
import dev.percept.eval.KnnClassifier;
import dev.percept.eval.LinearProbe;
import dev.percept.io.NpyRowWriter;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The probes at scale: kNN and a linear probe over seeded synthetic features (Gaussian clusters
 * around random class centres, so accuracy means something), optionally written as .npy for a
 * baseline to run on the very same numbers.
 */
public final class ProbeBenchmark {
    /** Train rows; validation and test have a tenth each. */
    public static final int DEFAULT_ROWS = 100_000;
    public static final int DEFAULT_DIM = 768;
    public static final int DEFAULT_CLASSES = 100;
    private static final double CENTRE_SCALE = 0.2;

    private ProbeBenchmark() {}

    public record Settings(int rows, int dim, int classes, int epochs, int batchSize, double learningRate, long seed, Path writeDir) {}

    public record Result(Settings settings, double knnSeconds, double knnAccuracy, double linearSeconds, double linearAccuracy) {}

    public static Result run(Settings s) {
        Random random = new Random(s.seed());
        int[] yTrain = labels(s.rows(), s.classes(), random);
        int[] yVal = labels(s.rows() / 10, s.classes(), random);
        int[] yTest = labels(s.rows() / 10, s.classes(), random);
        List<FeatureMatrix> sets = FeatureMatrix.gaussianClusters(s.seed(), s.classes(), s.dim(), CENTRE_SCALE, yTrain, yVal, yTest);
        try (FeatureMatrix xTrain = sets.get(0);
                FeatureMatrix xVal = sets.get(1);
                FeatureMatrix xTest = sets.get(2)) {
            if (s.writeDir() != null) {
                write(s.writeDir().resolve("train_x.npy"), xTrain);
                write(s.writeDir().resolve("val_x.npy"), xVal);
                write(s.writeDir().resolve("test_x.npy"), xTest);
                writeLabels(s.writeDir().resolve("train_y.npy"), yTrain);
                writeLabels(s.writeDir().resolve("val_y.npy"), yVal);
                writeLabels(s.writeDir().resolve("test_y.npy"), yTest);
            }
            long t0 = System.nanoTime();
            int[] knn = KnnClassifier.classify(xTrain, yTrain, s.classes(), xTest, KnnClassifier.DEFAULT_K,
                    KnnClassifier.DEFAULT_TEMPERATURE).predicted();
            double knnSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            LinearProbe.Settings linear = new LinearProbe.Settings(List.of(s.learningRate()), List.of(0.0), s.epochs(), s.epochs(),
                    s.batchSize(), s.seed());
            int[] lin = LinearProbe.train(xTrain, yTrain, xVal, yVal, xTest, s.classes(), linear, Progress.silent()).predicted();
            double linearSeconds = (System.nanoTime() - t1) / 1e9;
            return new Result(s, knnSeconds, ClassificationMetrics.accuracy(knn, yTest).value(), linearSeconds,
                    ClassificationMetrics.accuracy(lin, yTest).value());
        }
    }

    private static int[] labels(int n, int classes, Random random) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(classes);
        }
        return y;
    }

    private static void write(Path file, FeatureMatrix rows) {
        long n = rows.rows();
        try (NpyRowWriter w = NpyRowWriter.create(file, n, rows.rowLength())) {
            for (long start = 0; start < n; start += 8192) {
                w.append(rows.toFloats(start, Math.min(8192, n - start)));
            }
        }
    }

    private static void writeLabels(Path file, int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = labels[i];
        }
        try (NpyRowWriter w = NpyRowWriter.create(file, labels.length)) {
            w.append(f);
        }
    }
}
