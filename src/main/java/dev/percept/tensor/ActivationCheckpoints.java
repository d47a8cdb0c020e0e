package dev.percept.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Activation checkpointing for a chain of segments (a transformer's blocks): the forward runs each
 * segment without recording gradients and keeps only its input; {@link #backward} then runs the
 * segments again, last first, with gradients, and back-propagates each with the gradient that
 * arrived at its output. Training memory then holds one segment's activations at a time instead
 * of all of them, for about one more forward of compute.
 *
 * <p>libtorch's C++ API has no torch.utils.checkpoint, and the presets expose no custom autograd
 * function that Java could implement, so the chain is back-propagated here, by hand, after the
 * loss's own backward has reached the output of the last segment. The generator state is saved
 * before each segment and restored for its second run, so dropout draws the same masks; the
 * gradients are those of a plain backward up to float rounding.
 *
 * <p>One instance serves one forward and its backward, inside the step's memory scope.
 */
public final class ActivationCheckpoints {
    private record Segment(Tensor input, UnaryOperator<Tensor> body, Tensor generatorState) {}

    private final List<Segment> segments = new ArrayList<>();
    private Generator generator;
    private Tensor output;

    /** Runs {@code body} on {@code x} without recording gradients; keeps {@code x} to run it again in {@link #backward}. */
    public Tensor run(Tensor x, UnaryOperator<Tensor> body) {
        if (output != null) {
            throw new IllegalStateException("the chain was already resumed");
        }
        if (generator == null) {
            generator = torch.globalContext().defaultGenerator(x.device());
        }
        segments.add(new Segment(x, body, generator.get_state()));
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return Ops.scoped(() -> body.apply(x));
        }
    }

    /**
     * The last segment's output as a leaf that records gradients: what the caller computes from
     * it (the features, the loss) is recorded as usual.
     */
    public Tensor resume(Tensor last) {
        output = last.detach().requires_grad_(true);
        return output;
    }

    /**
     * After the loss's backward: back-propagates through the segments, last first, into every
     * trainable weight they use and, if the first input records gradients, into what made it.
     * Without a gradient at the output (the loss did not reach it) there is nothing to do.
     */
    public void backward() {
        if (output == null || !output.grad().defined()) {
            return;
        }
        Tensor afterForward = generator.get_state();
        Tensor gradient = output.grad().detach();
        PointerScope outer = PointerScope.getInnerScope();
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment s = segments.get(i);
            try (PointerScope scope = new PointerScope()) {
                generator.set_state(s.generatorState());
                boolean passOn = i > 0 || s.input().requires_grad();
                Tensor input = s.input().detach().requires_grad_(passOn);
                Tensor out = s.body().apply(input);
                if (out.requires_grad()) {
                    backward(out, gradient);
                }
                if (!passOn) {
                    break;
                }
                // grad() is a reference into the input's autograd state, which goes with this scope: detach
                // makes a handle of our own on the same values.
                gradient = input.grad().defined() ? input.grad().detach() : Placement.of(input).zeros(Tensors.shape(input));
                outer.attach(gradient);
            }
        }
        Tensor first = segments.isEmpty() ? null : segments.get(0).input();
        if (first != null && first.requires_grad()) {
            backward(first, gradient);
        }
        generator.set_state(afterForward);
    }

    /** Accumulates d(out)/d(leaves) . gradient into every leaf that records gradients. */
    private static void backward(Tensor out, Tensor gradient) {
        torch.backward(new TensorVector(out), new TensorVector(gradient), new BoolOptional(), false, new TensorVector());
    }
}
