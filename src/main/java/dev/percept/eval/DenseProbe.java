package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.io.MappedFloats;
import dev.percept.tensor.DenseHead;

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

    /**
     * Trains a head on {@code tokens}, a mapped [N, gh, gw, D] file read a batch at a time (a
     * large dataset's grids need not fit in memory). {@code targets} holds per image the
     * (upsample gh) x (upsample gw) values: class ids as floats, or log depth (NaN invalid).
     * The caller closes the head.
     */
    public static DenseHead train(MappedFloats tokens, float[][] targets, Objective objective, int outputs, Settings s, Progress progress) {
        DenseHead.Loss loss = objective == Objective.CLASSES ? DenseHead.Loss.CROSS_ENTROPY : DenseHead.Loss.MASKED_SQUARED_ERROR;
        return DenseHead.train(tokens, targets, loss, outputs,
                new DenseHead.Training(s.epochs(), s.learningRate(), s.batchSize(), s.upsample(), s.seed()), () -> progress.advance(1));
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
