package dev.percept.eval;

import dev.percept.console.Progress;
import dev.percept.data.downstream.LabeledImage;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linear-probe classification on class folders or Pets: logistic regression with its sweep
 * chosen on the validation split ({@link FitSplit}: held out of train when there is none or it is
 * empty); top-1 test accuracy.
 */
public final class LinearTask {
    public static final String NAME = "linear";

    private LinearTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        ClassificationData d = ClassificationData.read(data, options, NAME);
        FitSplit<LabeledImage> fit = FitSplit.of(d.train(), d.val(), options.seed());
        int[] yTrain = d.labels(fit.train());
        int[] yVal = d.labels(fit.val());
        int[] yTest = d.labels(d.test());
        Map<String, Object> details = new LinkedHashMap<>();
        try (FeatureMatrix xTrain = FeatureMatrix.load(source.vectors(ClassificationData.images(fit.train()), "train"));
                FeatureMatrix xVal = FeatureMatrix.load(source.vectors(ClassificationData.images(fit.val()), "val"));
                FeatureMatrix xTest = FeatureMatrix.load(source.vectors(ClassificationData.images(d.test()), "test"))) {
            LinearProbe.Settings s = options.linear();
            LinearProbe.Result r = LinearProbe.train(xTrain, yTrain, xVal, yVal, xTest, d.classes().size(), s,
                    Progress.onStderr("linear probe sweep", "fits", (long) s.learningRates().size() * s.weightDecays().size()));
            fit.describe(details);
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
}
