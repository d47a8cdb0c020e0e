package dev.percept.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Percentile bootstrap confidence intervals for a mean. */
public final class Bootstrap {
    public static final int RESAMPLES = 1000;

    private Bootstrap() {}

    /** A mean with its confidence interval. */
    public record Interval(double mean, double low, double high, int n) {}

    /** The mean of {@code values} and its 95% percentile interval over {@code resamples} resamples. */
    public static Interval mean(double[] values, int resamples, long seed) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return new Interval(mean, means[(int) Math.floor(0.025 * (resamples - 1))],
                means[(int) Math.ceil(0.975 * (resamples - 1))], n);
    }
}
