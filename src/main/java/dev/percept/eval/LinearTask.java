package dev.percept.eval;

import dev.percept.console.Progress;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linear-probe classification on class folders or Pets: logistic regression with its sweep
 * chosen on the validation split (held out of train when there is none); top-1 test accuracy.
 */
public final class LinearTask {
    public static final String NAME = "linear";

    private LinearTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        ClassificationData d = ClassificationData.read(data, options, NAME);
        int[] yTrain = d.labels(d.train());
        int[] yTest = d.labels(d.test());
        Map<String, Object> details = new LinkedHashMap<>();
        Holdout h = d.val() == null ? Holdout.of(yTrain.length, options.seed()) : null;
        try (FeatureMatrix all = FeatureMatrix.load(source.vectors(ClassificationData.images(d.train()), "train"));
                FeatureMatrix xTest = FeatureMatrix.load(source.vectors(ClassificationData.images(d.test()), "test"));
                FeatureMatrix xVal = h == null ? FeatureMatrix.load(source.vectors(ClassificationData.images(d.val()), "val"))
                        : all.select(h.val());
                FeatureMatrix heldTrain = h == null ? null : all.select(h.train())) {
            FeatureMatrix xTrain = h == null ? all : heldTrain;
            int[] yVal = h == null ? d.labels(d.val()) : select(yTrain, h.val());
            if (h != null) {
                yTrain = select(yTrain, h.train());
                details.put("validation", "held out of train");
            }
            LinearProbe.Settings s = options.linear();
            LinearProbe.Result r = LinearProbe.train(xTrain, yTrain, xVal, yVal, xTest, d.classes().size(), s,
                    Progress.onStderr("linear probe sweep", "fits", (long) s.learningRates().size() * s.weightDecays().size()));
            details.put("train", yTrain.length);
            details.put("val", yVal.length);
            details.put("test", yTest.length);
            details.put("classes", d.classes().size());
            details.put("learning_rate", r.chosen().learningRate());
            details.put("weight_decay", r.chosen().weightDecay());
            details.put("epochs", r.chosen().epochs());
            details.put("val_accuracy", r.chosen().valAccuracy());
            return new TaskResult(NAME, data, d.splits().layout().cliName(), List.of(ClassificationMetrics.accuracy(r.predicted(), yTest)),
                    details, null);
        }
    }

    private static int[] select(int[] values, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }
}
