package dev.percept.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One forward and backward of DreamSim's 2AFC hinge loss, the alignment step's kernel. With d0 =
 * 1 - cos(ref, left), d1 = 1 - cos(ref, right) and y = +1 when most judges chose the right image
 * (else -1), the loss is mean(max(0, margin - (d0 - d1) y)).
 */
public final class HingeStep {
    private HingeStep() {}

    /**
     * Runs {@code forward} (features [3n, D] of the n references, then the n left and the n
     * right images) and the loss in one memory scope and back-propagates the loss scaled by
     * {@code weight} (the batch's share of an optimizer step) unless it is not finite; returns
     * the loss.
     */
    public static double backward(Forward forward, float[] targets, double margin, double weight) {
        try (PointerScope scope = new PointerScope()) {
            Tensor loss = loss(forward.features(), targets, margin);
            double value = Tensors.scalar(loss);
            if (Double.isFinite(value)) {
                loss.mul_(new Scalar(weight)).backward();
                forward.backwardDeferred();
            }
            return value;
        }
    }

    /** The loss of features [3n, D] for targets y (n), in the caller's scope. */
    public static Tensor loss(Tensor features, float[] targets, double margin) {
        int n = targets.length;
        Tensor ref = features.narrow(0, 0, n);
        Tensor d0 = cosineDistance(ref, features.narrow(0, n, n));
        Tensor d1 = cosineDistance(ref, features.narrow(0, 2 * n, n));
        return torch.relu(d0.sub(d1).mul(Placement.of(features).floats(targets, n)).neg().add_(new Scalar(margin))).mean();
    }

    /** 1 - cos between matching rows of two [N, D] tensors: [N]. */
    private static Tensor cosineDistance(Tensor a, Tensor b) {
        return torch.cosine_similarity(a, b, 1, 1e-8).neg().add_(new Scalar(1.0));
    }
}
