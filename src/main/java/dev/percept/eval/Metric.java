package dev.percept.eval;

/**
 * One reported number computed from per-item statistics that add up over items (an image's
 * confusion counts, a query's hits, a count's squared error). Because the value is a function of
 * the column sums, a bootstrap resample of the items recomputes it exactly, mIoU and RMSE included.
 *
 * @param items one row of statistics per test item, in the dataset's item order; several metrics
 *     may share one array
 */
public record Metric(String name, boolean higherIsBetter, double[][] items, Aggregate aggregate) {

    /** The metric's value from the column sums of {@code n} items. */
    @FunctionalInterface
    public interface Aggregate {
        double value(double[] sums, int n);
    }

    public Metric {
        if (items.length == 0) {
            throw new IllegalArgumentException("metric " + name + " has no items");
        }
    }

    /** A metric that is the mean of one column (accuracy, MAE, per-image depth errors, recall). */
    public static Metric mean(String name, boolean higherIsBetter, double[][] items, int column) {
        return new Metric(name, higherIsBetter, items, (sums, n) -> sums[column] / n);
    }

    /** The value over all items. */
    public double value() {
        int width = items[0].length;
        double[] sums = new double[width];
        for (double[] row : items) {
            for (int j = 0; j < width; j++) {
                sums[j] += row[j];
            }
        }
        return aggregate.value(sums, items.length);
    }

    /** The value over the items at {@code indices} (a bootstrap resample), summed into {@code sums}. */
    double value(int[] indices, double[] sums) {
        java.util.Arrays.fill(sums, 0);
        int width = sums.length;
        for (int i : indices) {
            double[] row = items[i];
            for (int j = 0; j < width; j++) {
                sums[j] += row[j];
            }
        }
        return aggregate.value(sums, indices.length);
    }
}
