package dev.percept.eval;

/** Top-1 accuracy. */
public final class ClassificationMetrics {
    private ClassificationMetrics() {}

    /** {@code accuracy}; item i's row is [1 if predicted right, else 0]. */
    public static Metric accuracy(int[] predicted, int[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " labels");
        }
        double[][] rows = new double[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            rows[i] = new double[] {predicted[i] == truth[i] ? 1 : 0};
        }
        return Metric.mean("accuracy", true, rows, 0);
    }
}
