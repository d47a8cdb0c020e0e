package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.io.MappedFloats;
import dev.percept.tensor.Adam;
import dev.percept.tensor.Ops;
import dev.percept.tensor.ProbeOps;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * A linear head on each patch token (a 1x1 convolution over the [gh, gw, D] grid), its outputs
 * upsampled bilinearly to the target's size, as DINOv2's linear segmentation and depth heads.
 * Tokens are standardised per channel with the training moments. For speed, training compares
 * the outputs upsampled {@link Settings#upsample}x with targets resized to that size by nearest
 * neighbour; prediction upsamples to each target's full size.
 */
public final class DenseProbe {
    private DenseProbe() {}

    /** Training settings (Adam, fixed epochs). */
    public record Settings(int epochs, double learningRate, int batchSize, int upsample, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(20, 1e-3, 8, 4, seed);
        }

        public Settings {
            if (epochs <= 0 || !(learningRate > 0) || batchSize <= 0 || upsample <= 0) {
                throw new PerceptException("the dense probe needs positive epochs, learning rate, batch size and upsampling");
            }
        }
    }

    /** What the head is trained for. */
    public enum Objective {
        /** Class logits, cross-entropy with label 255 ignored. */
        CLASSES,
        /** One channel of log depth, squared error over valid pixels (targets NaN where invalid). */
        LOG_DEPTH
    }

    /** A trained head; its tensors belong to the memory scope that was open when it was trained. */
    public static final class Head {
        private final Tensor weight;
        private final Tensor bias;
        private final Tensor mean;
        private final Tensor std;

        private Head(Tensor weight, Tensor bias, Tensor mean, Tensor std) {
            this.weight = weight;
            this.bias = bias;
            this.mean = mean;
            this.std = std;
        }

        /** Outputs [C, h, w] for image {@code index} of a mapped [N, gh, gw, D] file. */
        public float[] predict(MappedFloats tokens, int index, int h, int w) {
            try (PointerScope s = new PointerScope();
                    NoGradGuard noGrad = new NoGradGuard()) {
                return Ops.toFloats(forward(ProbeOps.rows(tokens, new int[] {index}), h, w));
            }
        }

        /** Class ids at h x w for image {@code index} of a mapped [N, gh, gw, D] file. */
        public int[] classes(MappedFloats tokens, int index, int h, int w) {
            try (PointerScope s = new PointerScope();
                    NoGradGuard noGrad = new NoGradGuard()) {
                return ProbeOps.toInts(ProbeOps.argmax(forward(ProbeOps.rows(tokens, new int[] {index}), h, w), 1));
            }
        }

        private Tensor forward(Tensor tokens, long h, long w) {
            Tensor out = ProbeOps.affine(ProbeOps.standardize(tokens, mean, std), weight, bias); // [B, gh, gw, C]
            return ProbeOps.upsampleBilinear(out.permute(0, 3, 1, 2).contiguous(), h, w);
        }
    }

    /**
     * Trains a head on {@code tokens}, a mapped [N, gh, gw, D] file read a batch at a time (a
     * large dataset's grids need not fit in memory). {@code targets} holds per image the
     * (upsample gh) x (upsample gw) values: class ids as floats, or log depth (NaN invalid).
     */
    public static Head train(MappedFloats tokens, float[][] targets, Objective objective, int outputs, Settings s, Progress progress) {
        long[] shape = tokens.shape();
        long n = shape[0];
        long gh = shape[1];
        long gw = shape[2];
        long d = shape[3];
        long th = gh * s.upsample();
        long tw = gw * s.upsample();
        Tensor[] moments = ProbeOps.channelMoments(tokens, 64);
        Tensor weight = ProbeOps.parameter(d, outputs);
        Tensor bias = ProbeOps.parameter(outputs);
        Head head = new Head(weight, bias, moments[0], moments[1]);
        Adam adam = new Adam(List.of(weight, bias), 0.9, 0.999, 0);
        Random random = new Random(s.seed());
        int[] order = new int[(int) n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            LinearProbe.shuffle(order, random);
            for (int start = 0; start < n; start += s.batchSize()) {
                int len = (int) Math.min(s.batchSize(), n - start);
                try (PointerScope step = new PointerScope()) {
                    int[] batch = java.util.Arrays.copyOfRange(order, start, start + len);
                    float[] target = new float[(int) (len * th * tw)];
                    float[] valid = new float[target.length];
                    for (int k = 0; k < len; k++) {
                        System.arraycopy(targets[batch[k]], 0, target, (int) (k * th * tw), (int) (th * tw));
                    }
                    for (int p = 0; p < target.length; p++) {
                        valid[p] = Float.isNaN(target[p]) ? 0 : 1;
                        target[p] = Float.isNaN(target[p]) ? 0 : target[p];
                    }
                    Tensor out = head.forward(ProbeOps.rows(tokens, batch), th, tw);
                    Tensor loss = objective == Objective.CLASSES
                            ? ProbeOps.crossEntropy(out, ProbeOps.asLongs(Ops.floats(target, len, th, tw)), 255)
                            : ProbeOps.maskedMse(out.squeeze(1), Ops.floats(target, len, th, tw), Ops.floats(valid, len, th, tw));
                    loss.backward();
                    adam.step(s.learningRate());
                }
            }
            progress.advance(1);
        }
        adam.close();
        return head;
    }

    /** A map resized by nearest neighbour (pixel centres), row-major. */
    public static float[] nearest(float[] values, int width, int height, int outWidth, int outHeight) {
        float[] out = new float[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int sy = Math.min(height - 1, (int) ((y + 0.5) * height / outHeight));
            for (int x = 0; x < outWidth; x++) {
                int sx = Math.min(width - 1, (int) ((x + 0.5) * width / outWidth));
                out[y * outWidth + x] = values[sy * width + sx];
            }
        }
        return out;
    }
}
