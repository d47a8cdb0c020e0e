package dev.percept.eval;

/**
 * A 95% Student-t interval over per-seed scores: mean +- t(0.975, n - 1) * sd / sqrt(n), with the
 * sample standard deviation (n - 1 in the denominator).
 */
public final class SeedInterval {
    /** t(0.975, df) for df = 1..30 (scipy.stats.t.ppf). */
    private static final double[] T975 = {
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

    public static final int MAX_SEEDS = T975.length + 1;

    private SeedInterval() {}

    public static Bootstrap.Interval of(double[] scores) {
        int n = scores.length;
        if (n < 2 || n > MAX_SEEDS) {
            throw new IllegalArgumentException("a seed interval needs 2.." + MAX_SEEDS + " scores, got " + n);
        }
        double mean = 0;
        for (double s : scores) {
            mean += s / n;
        }
        double squares = 0;
        for (double s : scores) {
            squares += (s - mean) * (s - mean);
        }
        double half = T975[n - 2] * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        return new Bootstrap.Interval(mean, mean - half, mean + half, n);
    }
}
