package dev.percept.eval;

import java.util.List;

/**
 * The usual monocular depth errors (Eigen et al.; BTS's and DINOv2's evaluation), per image over
 * its valid pixels, then averaged over images: RMSE = sqrt(mean (d - d*)^2), AbsRel =
 * mean |d - d*| / d*, log10 = mean |log10 d - log10 d*|, delta_k = share with
 * max(d / d*, d* / d) < 1.25^k. Valid pixels have ground truth in (min, max); predictions are
 * clamped to [min, max] first.
 */
public final class DepthMetrics {
    private static final String[] NAMES = {"rmse", "abs_rel", "log10", "delta1", "delta2", "delta3"};
    private static final boolean[] HIGHER_IS_BETTER = {false, false, false, true, true, true};

    private DepthMetrics() {}

    /**
     * One image's row [rmse, abs_rel, log10, delta1, delta2, delta3], or null when no pixel is
     * valid (such an image is left out).
     */
    public static double[] imageErrors(float[] predicted, float[] truth, double minDepth, double maxDepth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " depths");
        }
        double squared = 0;
        double absRel = 0;
        double log10 = 0;
        int[] within = new int[3];
        int valid = 0;
        for (int i = 0; i < truth.length; i++) {
            double t = truth[i];
            if (!(t > minDepth && t < maxDepth)) {
                continue;
            }
            double d = Math.min(maxDepth, Math.max(minDepth, predicted[i]));
            valid++;
            squared += (d - t) * (d - t);
            absRel += Math.abs(d - t) / t;
            log10 += Math.abs(Math.log10(d) - Math.log10(t));
            double ratio = Math.max(d / t, t / d);
            for (int k = 0; k < 3; k++) {
                if (ratio < Math.pow(1.25, k + 1)) {
                    within[k]++;
                }
            }
        }
        if (valid == 0) {
            return null;
        }
        return new double[] {Math.sqrt(squared / valid), absRel / valid, log10 / valid,
                (double) within[0] / valid, (double) within[1] / valid, (double) within[2] / valid};
    }

    /** The six metrics over images' rows of {@link #imageErrors}. */
    public static List<Metric> metrics(double[][] images) {
        Metric[] out = new Metric[NAMES.length];
        for (int k = 0; k < NAMES.length; k++) {
            out[k] = Metric.mean(NAMES[k], HIGHER_IS_BETTER[k], images, k);
        }
        return List.of(out);
    }
}
