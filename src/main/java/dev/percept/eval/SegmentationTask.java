package dev.percept.eval;

import dev.percept.console.Progress;
import dev.percept.data.downstream.DenseImage;
import dev.percept.data.downstream.DownstreamLayout;
import dev.percept.data.downstream.LabelMaps;
import dev.percept.data.downstream.SegmentationSet;
import dev.percept.io.MappedFloats;
import dev.percept.tensor.DenseHead;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Semantic segmentation (VOC, ADE20K, Cityscapes, COCO-Stuff, DAVIS): a dense linear probe on
 * patch tokens, logits upsampled bilinearly to each label map's size, label 255 ignored; mIoU and
 * pixel accuracy.
 */
public final class SegmentationTask {
    public static final String NAME = "segmentation";

    private SegmentationTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        DatasetSplits splits = DatasetSplits.of(data, options, NAME, DownstreamLayout.Kind.SEGMENTATION);
        SegmentationSet train = SegmentationSet.read(splits.layout(), data, splits.train());
        SegmentationSet test = SegmentationSet.read(splits.layout(), data, splits.test());
        int classes = train.classes();
        DenseProbe.Settings s = options.dense();
        MappedFloats trainTokens = source.patchTokens(images(train.items()), "train");
        MappedFloats testTokens = source.patchTokens(images(test.items()), "test");
        int th = (int) trainTokens.shape()[1] * s.upsample();
        int tw = (int) trainTokens.shape()[2] * s.upsample();
        float[][] targets = new float[train.items().size()][];
        for (int i = 0; i < targets.length; i++) {
            LabelMaps.Map labels = train.labels(train.items().get(i));
            float[] values = new float[labels.values().length];
            for (int p = 0; p < values.length; p++) {
                values[p] = labels.values()[p];
            }
            targets[i] = DenseProbe.nearest(values, labels.width(), labels.height(), tw, th);
        }
        try (DenseHead head = DenseProbe.train(trainTokens, targets, DenseProbe.Objective.CLASSES, classes, s,
                Progress.onStderr("segmentation probe", "epochs", s.epochs()))) {
            Progress progress = Progress.onStderr("segmentation test", "img", test.items().size());
            double[][] rows = new double[test.items().size()][];
            for (int i = 0; i < rows.length; i++) {
                LabelMaps.Map labels = test.labels(test.items().get(i));
                int[] predicted = head.classes(testTokens, i, labels.height(), labels.width());
                rows[i] = SegmentationMetrics.imageCounts(predicted, labels.values(), classes);
                progress.advance(1);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("classes", classes);
            details.put("train", train.items().size());
            details.put("test", test.items().size());
            details.put("epochs", s.epochs());
            details.put("learning_rate", s.learningRate());
            return new TaskResult(NAME, data, splits.layout().cliName(), SegmentationMetrics.metrics(rows, classes), details, null);
        }
    }

    static List<Path> images(List<DenseImage> items) {
        return items.stream().map(DenseImage::image).toList();
    }
}
