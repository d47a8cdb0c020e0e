package dev.percept.eval;

import dev.percept.console.Progress;
import dev.percept.data.downstream.DenseImage;
import dev.percept.data.downstream.DownstreamLayout;
import dev.percept.data.downstream.LabelMaps;
import dev.percept.data.downstream.NyuDepth;
import dev.percept.io.MappedFloats;
import dev.percept.tensor.DenseHead;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monocular depth (NYUv2): a dense linear probe on patch tokens regressing log depth (squared
 * error over valid pixels), upsampled bilinearly to the depth map's size and exponentiated; RMSE,
 * AbsRel, log10, delta1-3 over pixels with ground truth inside the depth caps.
 */
public final class DepthTask {
    public static final String NAME = "depth";

    private DepthTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        DatasetSplits splits = DatasetSplits.of(data, options, NAME, DownstreamLayout.Kind.DEPTH);
        List<DenseImage> train = NyuDepth.read(data, splits.train());
        List<DenseImage> test = NyuDepth.read(data, splits.test());
        double min = options.minDepth();
        double max = options.maxDepth();
        if (!(min > 0 && max > min)) {
            throw new dev.percept.PerceptException("depth caps need 0 < --min-depth < --max-depth, got " + min + " and " + max);
        }
        DenseProbe.Settings s = options.dense();
        MappedFloats trainTokens = source.patchTokens(SegmentationTask.images(train), "train");
        MappedFloats testTokens = source.patchTokens(SegmentationTask.images(test), "test");
        int th = (int) trainTokens.shape()[1] * s.upsample();
        int tw = (int) trainTokens.shape()[2] * s.upsample();
        float[][] targets = new float[train.size()][];
        for (int i = 0; i < targets.length; i++) {
            LabelMaps.Map map = LabelMaps.read(train.get(i).target());
            float[] small = DenseProbe.nearest(LabelMaps.depthMetres(map), map.width(), map.height(), tw, th);
            for (int p = 0; p < small.length; p++) {
                small[p] = small[p] > min && small[p] < max ? (float) Math.log(small[p]) : Float.NaN;
            }
            targets[i] = small;
        }
        try (DenseHead head = DenseProbe.train(trainTokens, targets, DenseProbe.Objective.LOG_DEPTH, 1, s,
                Progress.onStderr("depth probe", "epochs", s.epochs()))) {
            Progress progress = Progress.onStderr("depth test", "img", test.size());
            List<double[]> rows = new ArrayList<>();
            int skipped = 0;
            for (int i = 0; i < test.size(); i++) {
                LabelMaps.Map map = LabelMaps.read(test.get(i).target());
                float[] predicted = head.predict(testTokens, i, map.height(), map.width());
                for (int p = 0; p < predicted.length; p++) {
                    predicted[p] = (float) Math.exp(predicted[p]);
                }
                double[] errors = DepthMetrics.imageErrors(predicted, LabelMaps.depthMetres(map), min, max);
                if (errors == null) {
                    skipped++;
                } else {
                    rows.add(errors);
                }
                progress.advance(1);
            }
            if (rows.isEmpty()) {
                throw new dev.percept.PerceptException("no test depth map of " + data + " has a pixel between " + min + " and " + max + " m");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("train", train.size());
            details.put("test", rows.size());
            details.put("test_without_valid_pixels", skipped);
            details.put("min_depth", min);
            details.put("max_depth", max);
            details.put("epochs", s.epochs());
            return new TaskResult(NAME, data, splits.layout().cliName(), DepthMetrics.metrics(rows.toArray(double[][]::new)), details, null);
        }
    }
}
