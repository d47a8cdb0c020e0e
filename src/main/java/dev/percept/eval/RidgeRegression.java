package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.tensor.Ops;
import dev.percept.tensor.ProbeOps;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

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

    public static Result fit(Tensor trainX, double[] trainY, Tensor valX, double[] valY, Tensor testX, List<Double> penalties) {
        if (penalties.isEmpty()) {
            throw new PerceptException("ridge regression needs at least one penalty");
        }
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            Tensor[] moments = ProbeOps.columnMoments(trainX);
            Tensor x = ProbeOps.standardize(trainX, moments[0], moments[1]);
            Tensor xVal = ProbeOps.standardize(valX, moments[0], moments[1]);
            Tensor xTest = ProbeOps.standardize(testX, moments[0], moments[1]);
            double meanY = java.util.Arrays.stream(trainY).average().orElse(0);
            float[] centred = new float[trainY.length];
            for (int i = 0; i < centred.length; i++) {
                centred[i] = (float) (trainY[i] - meanY);
            }
            Tensor y = Ops.floats(centred, centred.length, 1);
            Tensor gram = x.t().mm(x);
            Tensor xty = x.t().mm(y);
            Tensor identity = ProbeOps.eye(x.size(1));
            double bestPenalty = Double.NaN;
            double bestMae = Double.POSITIVE_INFINITY;
            Tensor bestW = null;
            for (double penalty : penalties) {
                Tensor w = ProbeOps.solve(gram.add(ProbeOps.scale(identity, penalty * x.size(0))), xty);
                double mae = mae(predict(xVal, w, meanY), valY);
                if (mae < bestMae) {
                    bestMae = mae;
                    bestPenalty = penalty;
                    bestW = w;
                }
            }
            return new Result(predict(xTest, bestW, meanY), bestPenalty, bestMae);
        }
    }

    private static double[] predict(Tensor x, Tensor w, double meanY) {
        float[] p = Ops.toFloats(x.mm(w));
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Math.max(0, p[i] + meanY);
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
