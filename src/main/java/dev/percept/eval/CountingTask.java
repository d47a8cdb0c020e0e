package dev.percept.eval;

import dev.percept.data.downstream.Carpk;
import dev.percept.data.downstream.ClevrCount;
import dev.percept.data.downstream.CountedImage;
import dev.percept.data.downstream.DownstreamLayout;
import dev.percept.data.downstream.Fsc147;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counting (CLEVR, FSC147, CARPK): ridge regression of the count on image features; MAE and RMSE. */
public final class CountingTask {
    public static final String NAME = "counting";

    private CountingTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        DatasetSplits splits = DatasetSplits.of(data, options, NAME, DownstreamLayout.Kind.COUNTING);
        List<CountedImage> train = read(splits.layout(), data, splits.train());
        List<CountedImage> test = read(splits.layout(), data, splits.test());
        List<CountedImage> val = splits.val() == null ? null : read(splits.layout(), data, splits.val());
        FitSplit<CountedImage> fit = FitSplit.of(train, val, options.seed());
        double[] yTrain = counts(fit.train());
        double[] yVal = counts(fit.val());
        Map<String, Object> details = new LinkedHashMap<>();
        try (FeatureMatrix xTrain = FeatureMatrix.load(source.vectors(images(fit.train()), "train"));
                FeatureMatrix xVal = FeatureMatrix.load(source.vectors(images(fit.val()), "val"));
                FeatureMatrix xTest = FeatureMatrix.load(source.vectors(images(test), "test"))) {
            RidgeRegression.Result r = RidgeRegression.fit(xTrain, yTrain, xVal, yVal, xTest, options.ridgePenalties());
            fit.describe(details);
            details.put("test", test.size());
            details.put("penalty", r.penalty());
            details.put("val_mae", r.valMae());
            return new TaskResult(NAME, data, splits.layout().cliName(), CountingMetrics.metrics(r.predicted(), counts(test)), details, null);
        }
    }

    static List<CountedImage> read(DownstreamLayout layout, Path data, String split) {
        return switch (layout) {
            case CLEVR -> ClevrCount.read(data, split);
            case FSC147 -> Fsc147.read(data, split);
            case CARPK -> Carpk.read(data, split);
            default -> throw new IllegalArgumentException(layout + " is not a counting layout");
        };
    }

    private static List<Path> images(List<CountedImage> items) {
        return items.stream().map(CountedImage::image).toList();
    }

    private static double[] counts(List<CountedImage> items) {
        return items.stream().mapToDouble(CountedImage::count).toArray();
    }
}
