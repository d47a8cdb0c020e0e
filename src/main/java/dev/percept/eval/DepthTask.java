package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.data.downstream.DenseImage;
import dev.percept.data.downstream.DownstreamLayout;
import dev.percept.data.downstream.DepthMap;
import dev.percept.data.downstream.DepthSet;
import dev.percept.io.MappedFloats;
import dev.percept.tensor.DenseHead;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monocular depth (NYUv2, SUN RGB-D; the 4D Light Field benchmark as a transfer test): a dense
 * linear probe on patch tokens regressing log depth in metres (squared error over valid pixels),
 * upsampled bilinearly to the depth map's size and exponentiated; RMSE, AbsRel, log10, delta1-3
 * over pixels with ground truth inside the depth caps. With {@link TaskOptions#trainData} the
 * probe trains on another dataset and is tested on this one without retraining.
 */
public final class DepthTask {
    public static final String NAME = "depth";

    private DepthTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        DatasetSplits splits = DatasetSplits.of(data, options, NAME, DownstreamLayout.Kind.DEPTH);
        Training training = training(data, splits, options);
        List<DenseImage> train = training.set().items();
        DepthSet testSet = DepthSet.read(splits.layout(), data, splits.test());
        List<DenseImage> test = testSet.items();
        double min = options.minDepth();
        double max = options.maxDepth();
        if (!(min > 0 && max > min)) {
            throw new PerceptException("depth caps need 0 < --min-depth < --max-depth, got " + min + " and " + max);
        }
        DenseProbe.Settings s = options.dense();
        MappedFloats trainTokens = source.patchTokens(SegmentationTask.images(train), "train");
        MappedFloats testTokens = source.patchTokens(SegmentationTask.images(test), "test");
        int th = (int) trainTokens.shape()[1] * s.upsample();
        int tw = (int) trainTokens.shape()[2] * s.upsample();
        float[][] targets = new float[train.size()][];
        for (int i = 0; i < targets.length; i++) {
            DepthMap map = training.set().metres(train.get(i));
            float[] small = DenseProbe.nearest(map.metres(), map.width(), map.height(), tw, th);
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
                DepthMap map = testSet.metres(test.get(i));
                float[] predicted = head.predict(testTokens, i, map.height(), map.width());
                for (int p = 0; p < predicted.length; p++) {
                    predicted[p] = (float) Math.exp(predicted[p]);
                }
                double[] errors = DepthMetrics.imageErrors(predicted, map.metres(), min, max);
                if (errors == null) {
                    skipped++;
                } else {
                    rows.add(errors);
                }
                progress.advance(1);
            }
            if (rows.isEmpty()) {
                throw new PerceptException("no test depth map of " + data + " has a pixel between " + min + " and " + max + " m");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            if (options.trainData() != null) {
                details.put("train_data", training.dir().toString());
                details.put("train_layout", training.layout().cliName());
            }
            details.put("train", train.size());
            details.put("test", rows.size());
            details.put("test_without_valid_pixels", skipped);
            details.put("min_depth", min);
            details.put("max_depth", max);
            details.put("epochs", s.epochs());
            return new TaskResult(NAME, data, splits.layout().cliName(), DepthMetrics.metrics(rows.toArray(double[][]::new)), details, null);
        }
    }

    /** Where the probe learns: a dataset folder, its layout and its training split. */
    private record Training(Path dir, DownstreamLayout layout, DepthSet set) {}

    /** The train split of {@code --train-data} (transfer), else of the data itself. */
    private static Training training(Path data, DatasetSplits splits, TaskOptions options) {
        Path dir = options.trainData() != null ? options.trainData() : data;
        DownstreamLayout layout = options.trainData() != null ? DownstreamLayout.detect(dir) : splits.layout();
        if (layout.kind() != DownstreamLayout.Kind.DEPTH) {
            throw new PerceptException("--train-data " + dir + " is a " + layout.cliName() + " folder; the depth probe trains on depth data");
        }
        String split = options.trainSplit() != null ? options.trainSplit() : layout.trainSplit();
        if (split == null) {
            throw new PerceptException(dir + " (" + layout.cliName() + ") is a test set only; train the probe on another depth "
                    + "dataset with --train-data DIR");
        }
        return new Training(dir, layout, DepthSet.read(layout, dir, split));
    }
}
