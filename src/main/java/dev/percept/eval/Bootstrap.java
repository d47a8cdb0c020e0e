package dev.percept.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Percentile bootstrap confidence intervals: for a mean, for any {@link Metric}, and paired differences. */
public final class Bootstrap {
    public static final int RESAMPLES = 1000;

    private Bootstrap() {}

    /** A mean with its confidence interval. */
    public record Interval(double mean, double low, double high, int n) {}

    /**
     * The difference {@code a - b} of one metric for two models on the same items, its 95%
     * interval, and a two-sided bootstrap p-value for "no difference": twice the smaller share of
     * resampled differences on either side of zero, with the usual +1 correction, capped at 1.
     */
    public record Difference(double diff, double low, double high, double p) {
        public boolean significant() {
            return p < 0.05;
        }
    }

    /** The mean of {@code values} and its 95% percentile interval over {@code resamples} resamples. */
    public static Interval mean(double[] values, int resamples, long seed) {
        double[][] rows = new double[values.length][];
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return interval(Metric.mean("mean", true, rows, 0), resamples, seed);
    }

    /** The metric over all items and its 95% percentile interval over item resamples. */
    public static Interval interval(Metric metric, int resamples, long seed) {
        int n = metric.items().length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] sums = new double[metric.items()[0].length];
        double[] values = new double[resamples];
        int[] indices = new int[n];
        for (int r = 0; r < resamples; r++) {
            draw(random, indices, n);
            values[r] = metric.value(indices, sums);
        }
        Arrays.sort(values);
        return new Interval(metric.value(), lower(values), upper(values), n);
    }

    /**
     * Paired bootstrap of {@code a - b}: each resample draws the same items for both models and
     * recomputes both metrics from those items' statistics.
     */
    public static Difference paired(Metric a, Metric b, int resamples, long seed) {
        int n = a.items().length;
        if (b.items().length != n) {
            throw new IllegalArgumentException(a.name() + ": " + n + " items against " + b.items().length
                    + "; a paired comparison needs the same test items");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] sumsA = new double[a.items()[0].length];
        double[] sumsB = new double[b.items()[0].length];
        double[] diffs = new double[resamples];
        int[] indices = new int[n];
        int atOrBelow = 0;
        int atOrAbove = 0;
        for (int r = 0; r < resamples; r++) {
            draw(random, indices, n);
            diffs[r] = a.value(indices, sumsA) - b.value(indices, sumsB);
            atOrBelow += diffs[r] <= 0 ? 1 : 0;
            atOrAbove += diffs[r] >= 0 ? 1 : 0;
        }
        Arrays.sort(diffs);
        double p = Math.min(1.0, 2.0 * (Math.min(atOrBelow, atOrAbove) + 1) / (resamples + 1));
        return new Difference(a.value() - b.value(), lower(diffs), upper(diffs), p);
    }

    private static void draw(SplittableRandom random, int[] indices, int n) {
        for (int i = 0; i < n; i++) {
            indices[i] = random.nextInt(n);
        }
    }

    private static double lower(double[] sorted) {
        return sorted[(int) Math.floor(0.025 * (sorted.length - 1))];
    }

    private static double upper(double[] sorted) {
        return sorted[(int) Math.ceil(0.975 * (sorted.length - 1))];
    }
}
