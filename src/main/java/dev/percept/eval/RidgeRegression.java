package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.tensor.FeatureMatrix;
import dev.percept.tensor.Ridge;
import java.util.List;

/**
 * Ridge regression of a scalar target (an object count) on frozen features, in closed form:
 * features standardised with the training moments, target centred, w = (X^T X + lambda n I)^-1
 * X^T y. The penalty lambda is chosen by validation MAE from a sweep; predictions are clamped at
 * zero (counts are never negative).
 */
public final class RidgeRegression {
    public static final List<Double> DEFAULT_PENALTIES = List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0);

    private RidgeRegression() {}

    /** Test predictions, the chosen penalty and its validation MAE. */
    public record Result(double[] predicted, double penalty, double valMae) {}

    public static Result fit(FeatureMatrix trainX, double[] trainY, FeatureMatrix valX, double[] valY, FeatureMatrix testX,
            List<Double> penalties) {
        if (penalties.isEmpty()) {
            throw new PerceptException("ridge regression needs at least one penalty");
        }
        try (Ridge ridge = new Ridge(trainX, trainY, valX, testX)) {
            double bestPenalty = Double.NaN;
            double bestMae = Double.POSITIVE_INFINITY;
            double[] bestTest = null;
            for (double penalty : penalties) {
                Ridge.Predictions p = ridge.solve(penalty);
                double mae = mae(counts(p.val()), valY);
                if (mae < bestMae) {
                    bestMae = mae;
                    bestPenalty = penalty;
                    bestTest = p.test();
                }
            }
            return new Result(counts(bestTest), bestPenalty, bestMae);
        }
    }

    /** Predictions clamped at zero: counts are never negative. */
    private static double[] counts(double[] predicted) {
        double[] out = new double[predicted.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, predicted[i]);
        }
        return out;
    }

    private static double mae(double[] p, double[] y) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += Math.abs(p[i] - y[i]);
        }
        return sum / p.length;
    }
}
