package dev.percept.tensor;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A linear classifier trained with a model under cross-entropy (the pretraining objective): its
 * weights, and the forward and backward of one step. Owns its weights until closed.
 */
public final class LinearClassifier implements AutoCloseable {
    private final NativeOwner owner = new NativeOwner();
    private final Tensor weight;
    private final Tensor bias;

    /**
     * Weights [classes, width] and bias initialised as torch.nn.Linear's (U(-1/sqrt(width),
     * 1/sqrt(width)), weight first) from libtorch's default generator, placed with the features
     * they will classify ({@code where}: the model's device).
     */
    public LinearClassifier(Placement where, int width, int classes) {
        double bound = 1 / Math.sqrt(width);
        try (PointerScope scope = new PointerScope()) {
            this.weight = owner.keep(where.parameter(where.uniform(-bound, bound, classes, width)));
            this.bias = owner.keep(where.parameter(where.uniform(-bound, bound, classes)));
        }
    }

    /** {@code classifier.weight} and {@code classifier.bias}. */
    public Parameters parameters() {
        return new Parameters(List.of("classifier.weight", "classifier.bias"), List.of(weight, bias));
    }

    /**
     * Runs {@code forward} and the mean cross-entropy of its classified features against
     * {@code labels} in one memory scope, and back-propagates it unless it is not finite; returns
     * the loss.
     */
    public double backward(Forward forward, int[] labels) {
        try (PointerScope scope = new PointerScope()) {
            Tensor logits = Ops.linear(forward.features(), weight, bias);
            Tensor loss = torch.cross_entropy_loss(logits, Placement.of(logits).longs(labels), new TensorOptional(), 1 /* mean */, -100, 0.0);
            double value = Tensors.scalar(loss);
            if (Double.isFinite(value)) {
                loss.backward();
                forward.backwardDeferred();
            }
            return value;
        }
    }

    @Override
    public void close() {
        owner.close();
    }
}
