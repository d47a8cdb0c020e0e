package dev.percept.tensor;

import dev.percept.io.MappedFloats;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

/**
 * A linear head on each patch token (a 1x1 convolution over the [gh, gw, D] grid), its outputs
 * upsampled bilinearly (align_corners false, as DINOv2's heads), tokens standardised per channel
 * with the training moments: the dense probes' kernel. A trained head owns its weights until
 * closed.
 */
public final class DenseHead implements AutoCloseable {
    private final NativeOwner owner = new NativeOwner();
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor mean;
    private final Tensor std;

    /** What the outputs are trained against. */
    public enum Loss {
        /** Class ids (as floats), cross-entropy, label 255 ignored. */
        CROSS_ENTROPY,
        /** One channel of values, squared error where the target is not NaN. */
        MASKED_SQUARED_ERROR
    }

    /**
     * Adam for {@code epochs} over shuffled mini-batches; training compares the outputs upsampled
     * {@code upsample}x with targets of that size.
     */
    public record Training(int epochs, double learningRate, int batchSize, int upsample, long seed) {}

    private DenseHead(Tensor weight, Tensor bias, Tensor mean, Tensor std) {
        this.weight = owner.keep(weight);
        this.bias = owner.keep(bias);
        this.mean = owner.keep(mean);
        this.std = owner.keep(std);
    }

    /**
     * Trains a head on {@code tokens}, a mapped [N, gh, gw, D] file read a batch at a time (a
     * large dataset's grids need not fit in memory). {@code targets} holds per image the
     * (upsample gh) x (upsample gw) target values; {@code afterEpoch} runs after each epoch.
     */
    public static DenseHead train(MappedFloats tokens, float[][] targets, Loss loss, int outputs, Training t, Runnable afterEpoch) {
        long[] shape = tokens.shape();
        long n = shape[0];
        long th = shape[1] * t.upsample();
        long tw = shape[2] * t.upsample();
        DenseHead head;
        try (PointerScope scope = new PointerScope()) {
            Tensor[] moments = Standardize.channelMoments(tokens, 64);
            Placement where = Placement.of(moments[0]); // the head lives with the tokens it reads
            head = new DenseHead(where.parameter(where.zeros(shape[3], outputs)), where.parameter(where.zeros(outputs)),
                    moments[0], moments[1]);
        }
        EpochOrder order = new EpochOrder((int) n, t.seed());
        try (Adam adam = new Adam(new Parameters(List.of("weight", "bias"), List.of(head.weight, head.bias)), 0.9, 0.999, 0)) {
            for (int epoch = 0; epoch < t.epochs(); epoch++) {
                int[] rows = order.next();
                for (int start = 0; start < n; start += t.batchSize()) {
                    int len = (int) Math.min(t.batchSize(), n - start);
                    try (PointerScope step = new PointerScope()) {
                        int[] batch = Arrays.copyOfRange(rows, start, start + len);
                        float[] target = new float[(int) (len * th * tw)];
                        float[] valid = new float[target.length];
                        for (int k = 0; k < len; k++) {
                            System.arraycopy(targets[batch[k]], 0, target, (int) (k * th * tw), (int) (th * tw));
                        }
                        for (int p = 0; p < target.length; p++) {
                            valid[p] = Float.isNaN(target[p]) ? 0 : 1;
                            target[p] = Float.isNaN(target[p]) ? 0 : target[p];
                        }
                        Tensor out = head.forward(head.placement().rows(tokens, batch), th, tw);
                        Tensor value = loss == Loss.CROSS_ENTROPY
                                ? torch.cross_entropy_loss(out, Placement.of(out).withType(ScalarType.Long).floats(target, len, th, tw),
                                        new TensorOptional(), 1 /* mean */, 255, 0.0)
                                : maskedMse(out.squeeze(1), Placement.of(out).floats(target, len, th, tw), Placement.of(out).floats(valid, len, th, tw));
                        value.backward();
                        adam.step(t.learningRate());
                    }
                }
                afterEpoch.run();
            }
        }
        return head;
    }

    /** Outputs [C, h, w] for image {@code index} of a mapped [N, gh, gw, D] file. */
    public float[] predict(MappedFloats tokens, int index, int h, int w) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            return Tensors.toFloats(forward(placement().rows(tokens, new int[] {index}), h, w));
        }
    }

    /** Class ids (the largest output) at h x w for image {@code index} of a mapped [N, gh, gw, D] file. */
    public int[] classes(MappedFloats tokens, int index, int h, int w) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            return Tensors.toInts(forward(placement().rows(tokens, new int[] {index}), h, w).argmax(new LongOptional(1), false));
        }
    }

    /** Where the head's weights live, in float32: its inputs go there. */
    private Placement placement() {
        return Placement.of(weight);
    }

    private Tensor forward(Tensor tokens, long h, long w) {
        Tensor out = LogisticRegression.affine(Standardize.apply(tokens, mean, std), weight, bias); // [B, gh, gw, C]
        return torch.upsample_bilinear2d(out.permute(0, 3, 1, 2).contiguous(), new long[] {h, w}, false);
    }

    /** Mean of (a - b)^2 where {@code mask} (0/1 floats) is 1; zero when the mask is empty. */
    private static Tensor maskedMse(Tensor a, Tensor b, Tensor mask) {
        Tensor d = a.sub(b);
        return d.mul(d).mul(mask).sum().div(mask.sum().clamp_min(new Scalar(1.0)));
    }

    @Override
    public void close() {
        owner.close();
    }
}
