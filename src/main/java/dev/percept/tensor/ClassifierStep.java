package dev.percept.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * One forward and backward of a linear classifier's cross-entropy on a model's features, the
 * pretraining step's kernel: mean cross-entropy of features W^T + b against class ids.
 */
public final class ClassifierStep {
    private ClassifierStep() {}

    /**
     * Runs {@code forward} and the loss in one memory scope and back-propagates it unless it is
     * not finite; returns the loss.
     *
     * @param weight [classes, D]
     * @param bias [classes]
     */
    public static double backward(Forward forward, Tensor weight, Tensor bias, int[] labels) {
        try (PointerScope scope = new PointerScope()) {
            Tensor logits = Ops.linear(forward.features(), weight, bias);
            Tensor loss = torch.cross_entropy_loss(logits, Tensors.longs(labels), new TensorOptional(), 1 /* mean */, -100, 0.0);
            double value = Tensors.scalar(loss);
            if (Double.isFinite(value)) {
                loss.backward();
            }
            return value;
        }
    }
}
