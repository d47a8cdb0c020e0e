package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every metric against cases computed by hand. */
class MetricsTest {
    private static final int I = SegmentationMetrics.IGNORE;

    @Test
    void miouAndPixelAccuracyOfAThreeClassConfusionMatrix() {
        // gt 0 -> pred {0, 1}, gt 1 -> pred {1, 1}, gt 2 -> pred {2, 0}; the last pixel is void.
        int[] labels = {0, 0, 1, 1, 2, 2, I};
        int[] predicted = {0, 1, 1, 1, 2, 0, 2};
        double[][] rows = {SegmentationMetrics.imageCounts(predicted, labels, 3)};
        List<Metric> m = SegmentationMetrics.metrics(rows, 3);
        // IoU: class 0 1/(2+2-1), class 1 2/(3+2-2), class 2 1/(1+2-1)
        assertEquals((1.0 / 3 + 2.0 / 3 + 1.0 / 2) / 3, m.get(0).value(), 1e-12);
        assertEquals(4.0 / 6, m.get(1).value(), 1e-12);
        assertEquals("miou", m.get(0).name());
        assertEquals("pixel_accuracy", m.get(1).name());
    }

    @Test
    void miouSkipsClassesAbsentFromLabelsAndPredictions() {
        int[] labels = {0, 0, 1, 1, 2, 2, I};
        int[] predicted = {0, 1, 1, 1, 2, 0, 2};
        double[][] rows = {SegmentationMetrics.imageCounts(predicted, labels, 5)};
        assertEquals(0.5, SegmentationMetrics.metrics(rows, 5).get(0).value(), 1e-12);
    }

    @Test
    void miouPoolsCountsOverImagesRatherThanAveragingPerImage() {
        double[][] rows = {
            SegmentationMetrics.imageCounts(new int[] {0, 0}, new int[] {0, 0}, 2),
            SegmentationMetrics.imageCounts(new int[] {0}, new int[] {1}, 2),
        };
        // pooled: class 0 IoU 2/3, class 1 IoU 0/1
        assertEquals(1.0 / 3, SegmentationMetrics.metrics(rows, 2).get(0).value(), 1e-12);
        assertEquals(2.0 / 3, SegmentationMetrics.metrics(rows, 2).get(1).value(), 1e-12);
    }

    @Test
    void aLabelOutsideTheClassesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.imageCounts(new int[] {0}, new int[] {7}, 3));
    }

    @Test
    void depthErrorsOnFourPixelsOneOfThemInvalid() {
        float[] truth = {1, 2, 4, 0};
        float[] predicted = {1.1f, 1.0f, 5.0f, 3};
        double[] e = DepthMetrics.imageErrors(predicted, truth, 1e-3, 10);
        assertEquals(Math.sqrt((0.01 + 1 + 1) / 3), e[0], 1e-6);
        assertEquals((0.1 + 0.5 + 0.25) / 3, e[1], 1e-6);
        assertEquals((Math.log10(1.1) + Math.log10(2) + Math.log10(1.25)) / 3, e[2], 1e-6);
        assertEquals(1.0 / 3, e[3], 1e-12); // ratios 1.1, 2, 1.25: only 1.1 < 1.25
        assertEquals(2.0 / 3, e[4], 1e-12); // 1.25 < 1.5625
        assertEquals(2.0 / 3, e[5], 1e-12); // 2 > 1.953125
    }

    @Test
    void depthPredictionsAreClampedToTheCapsAndGroundTruthBeyondThemIsInvalid() {
        double[] e = DepthMetrics.imageErrors(new float[] {20, 3}, new float[] {5, 12}, 1e-3, 10);
        assertEquals(5, e[0], 1e-9); // only the first pixel counts, its prediction capped at 10
        assertNull(DepthMetrics.imageErrors(new float[] {1}, new float[] {0}, 1e-3, 10));
    }

    @Test
    void depthMetricsAverageImages() {
        double[][] rows = {{1, 0.1, 0.2, 1, 1, 1}, {3, 0.3, 0.4, 0, 0.5, 1}};
        List<Metric> m = DepthMetrics.metrics(rows);
        assertEquals(List.of("rmse", "abs_rel", "log10", "delta1", "delta2", "delta3"), m.stream().map(Metric::name).toList());
        assertEquals(2, m.get(0).value(), 1e-12);
        assertEquals(0.75, m.get(4).value(), 1e-12);
        assertEquals(false, m.get(0).higherIsBetter());
        assertEquals(true, m.get(3).higherIsBetter());
    }

    @Test
    void countingMaeAndRmse() {
        List<Metric> m = CountingMetrics.metrics(new double[] {1, 2, 6}, new double[] {1, 4, 3});
        assertEquals(5.0 / 3, m.get(0).value(), 1e-12);
        assertEquals(Math.sqrt(13.0 / 3), m.get(1).value(), 1e-12);
    }

    @Test
    void recallAtKOnThreeQueries() {
        List<Set<String>> gallery = List.of(Set.of("a"), Set.of("b"), Set.of("c"), Set.of("a"), Set.of("d"), Set.of("e"));
        List<Set<String>> queries = List.of(Set.of("a"), Set.of("b", "x"), Set.of("c"));
        int[][] neighbours = {{0, 1, 2, 3, 4, 5}, {2, 3, 1, 0, 4, 5}, {0, 1, 3, 4, 5, 2}};
        List<Metric> m = RetrievalMetrics.metrics(neighbours, queries, gallery);
        assertEquals(List.of("recall@1", "recall@3", "recall@5"), m.stream().map(Metric::name).toList());
        assertEquals(1.0 / 3, m.get(0).value(), 1e-12);
        assertEquals(2.0 / 3, m.get(1).value(), 1e-12);
        assertEquals(2.0 / 3, m.get(2).value(), 1e-12); // the third query's item is 6th
    }

    @Test
    void accuracyIsTheShareOfRightPredictions() {
        assertEquals(0.75, ClassificationMetrics.accuracy(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 0}).value(), 1e-12);
    }
}
