package dev.percept.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Ridge regression of a scalar target in closed form, the counting probe's kernel: features
 * standardised with the training moments, target centred, w = (X^T X + lambda n I)^-1 X^T y. The
 * standardised rows and X^T X are computed once and held until closed, so a sweep over lambda
 * costs one solve each.
 */
public final class Ridge implements AutoCloseable {
    private final NativeOwner owner = new NativeOwner();
    private final Tensor val;
    private final Tensor test;
    private final Tensor gram;
    private final Tensor xty;
    private final long n;
    private final double meanY;

    /** Predictions (target mean added back) on the validation and test rows. */
    public record Predictions(double[] val, double[] test) {}

    public Ridge(FeatureMatrix train, double[] trainY, FeatureMatrix val, FeatureMatrix test) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor[] moments = Standardize.columnMoments(train.tensor());
            Tensor x = Standardize.apply(train.tensor(), moments[0], moments[1]);
            this.val = owner.keep(Standardize.apply(val.tensor(), moments[0], moments[1]));
            this.test = owner.keep(Standardize.apply(test.tensor(), moments[0], moments[1]));
            this.meanY = java.util.Arrays.stream(trainY).average().orElse(0);
            float[] centred = new float[trainY.length];
            for (int i = 0; i < centred.length; i++) {
                centred[i] = (float) (trainY[i] - meanY);
            }
            Tensor y = Placement.of(x).floats(centred, centred.length, 1);
            this.gram = owner.keep(x.t().mm(x));
            this.xty = owner.keep(x.t().mm(y));
            this.n = x.size(0);
        }
    }

    /** Solves with penalty {@code lambda} and predicts the validation and test rows. */
    public Predictions solve(double lambda) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor identity = Placement.of(gram).eye(gram.size(0));
            Tensor w = torch.linalg_solve(gram.add(identity.mul(new Scalar(lambda * n))), xty);
            return new Predictions(predict(val, w), predict(test, w));
        }
    }

    private double[] predict(Tensor x, Tensor w) {
        float[] p = Tensors.toFloats(x.mm(w));
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] + meanY;
        }
        return out;
    }

    @Override
    public void close() {
        owner.close();
    }
}
