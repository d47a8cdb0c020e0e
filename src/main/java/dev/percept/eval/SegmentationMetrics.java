package dev.percept.eval;

import java.util.List;

/**
 * mIoU and pixel accuracy from per-image confusion counts. An image's statistics are, per class
 * c, the pixels where prediction and label are both c, the pixels predicted c and the pixels
 * labelled c, over labelled pixels only (label {@link #IGNORE} excluded). mIoU averages
 * IoU = intersection / union over the classes present in the labels or the predictions of the
 * evaluated images (a class absent from both has no IoU); pixel accuracy is correct / labelled.
 */
public final class SegmentationMetrics {
    public static final int IGNORE = 255;

    private SegmentationMetrics() {}

    /** One image's row: [intersection_0..C-1, predicted_0..C-1, labelled_0..C-1]. */
    public static double[] imageCounts(int[] predicted, int[] labels, int classes) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        double[] row = new double[3 * classes];
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label == IGNORE) {
                continue;
            }
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (classes - 1) + " and not " + IGNORE);
            }
            int p = predicted[i];
            row[classes + p]++;
            row[2 * classes + label]++;
            if (p == label) {
                row[label]++;
            }
        }
        return row;
    }

    /** {@code miou} and {@code pixel_accuracy} over images' rows of {@link #imageCounts}. */
    public static List<Metric> metrics(double[][] images, int classes) {
        Metric miou = new Metric("miou", true, images, (sums, n) -> {
            double total = 0;
            int present = 0;
            for (int c = 0; c < classes; c++) {
                double union = sums[classes + c] + sums[2 * classes + c] - sums[c];
                if (union > 0) {
                    total += sums[c] / union;
                    present++;
                }
            }
            return present == 0 ? 0 : total / present;
        });
        Metric pixelAccuracy = new Metric("pixel_accuracy", true, images, (sums, n) -> {
            double correct = 0;
            double labelled = 0;
            for (int c = 0; c < classes; c++) {
                correct += sums[c];
                labelled += sums[2 * classes + c];
            }
            return labelled == 0 ? 0 : correct / labelled;
        });
        return List.of(miou, pixelAccuracy);
    }
}
