package dev.percept.eval;

import java.util.List;

/** MAE and RMSE of predicted counts. */
public final class CountingMetrics {
    private CountingMetrics() {}

    /** {@code mae} and {@code rmse}; item i's row is [|error|, error^2]. */
    public static List<Metric> metrics(double[] predicted, double[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " counts");
        }
        double[][] rows = new double[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            double e = predicted[i] - truth[i];
            rows[i] = new double[] {Math.abs(e), e * e};
        }
        return List.of(Metric.mean("mae", false, rows, 0),
                new Metric("rmse", false, rows, (sums, n) -> Math.sqrt(sums[1] / n)));
    }
}
