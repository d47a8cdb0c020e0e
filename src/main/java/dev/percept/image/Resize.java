package dev.percept.image;

import java.util.Arrays;

/**
 * Resizes 8-bit RGB images exactly as Pillow's {@code Image.resize(size, resample)} does for
 * BILINEAR and BICUBIC: a separable convolution whose filter widens by the scale factor when
 * shrinking (so it antialiases), with weights normalised to sum to 1, turned into 22-bit
 * fixed-point integers, and the result rounded and clipped to 8 bits after the horizontal pass
 * and again after the vertical pass. The horizontal pass runs first, on only the source rows the
 * vertical pass will read.
 */
public final class Resize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private Resize() {}

    public static RgbImage resize(RgbImage image, int width, int height, ResampleFilter filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        Taps vertical = Taps.compute(image.height(), height, filter);
        RgbImage source = image;
        if (width != image.width()) {
            // Only rows first..last of the source feed the vertical pass.
            int first = vertical.start[0];
            int last = vertical.start[height - 1] + vertical.count[height - 1];
            source = horizontal(image, first, last - first, Taps.compute(image.width(), width, filter));
            vertical = vertical.shifted(-first);
        }
        return height != image.height() ? vertical(source, height, vertical) : source;
    }

    /**
     * For each output position: the first source index, the number of source samples, and their
     * fixed-point weights ({@code size} slots per output position).
     */
    private record Taps(int size, int[] start, int[] count, int[] weights) {
        static Taps compute(int inSize, int outSize, ResampleFilter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            double inverseScale = 1.0 / filterScale; // multiplied, not divided: Pillow's rounding
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double[] k = new double[size];
            for (int out = 0; out < outSize; out++) {
                double center = (out + 0.5) * scale;
                // (int) truncates toward zero, as the C cast does; negative values clamp to 0 anyway.
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double sum = 0;
                for (int i = 0; i < max; i++) {
                    k[i] = filter.weight((i + min - center + 0.5) * inverseScale);
                    sum += k[i];
                }
                for (int i = 0; i < max; i++) {
                    double w = sum != 0.0 ? k[i] / sum : k[i];
                    weights[out * size + i] = (int) (w < 0 ? w * (1 << PRECISION_BITS) - 0.5 : w * (1 << PRECISION_BITS) + 0.5);
                }
                start[out] = min;
                count[out] = max;
            }
            return new Taps(size, start, count, weights);
        }

        Taps shifted(int offset) {
            int[] moved = start.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += offset;
            }
            return new Taps(size, moved, count, weights);
        }
    }

    private static RgbImage horizontal(RgbImage image, int firstRow, int rows, Taps taps) {
        int outWidth = taps.count.length;
        byte[] src = image.pixels();
        byte[] dst = new byte[outWidth * rows * 3];
        int[] start = taps.start;
        int[] count = taps.count;
        int[] weights = taps.weights;
        int size = taps.size;
        int srcStride = image.width() * 3;
        for (int y = 0; y < rows; y++) {
            int srcRow = (firstRow + y) * srcStride;
            int o = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++, o += 3) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                int p = srcRow + start[x] * 3;
                int k = x * size;
                for (int end = k + count[x]; k < end; k++, p += 3) {
                    int w = weights[k];
                    r += (src[p] & 0xff) * w;
                    g += (src[p + 1] & 0xff) * w;
                    b += (src[p + 2] & 0xff) * w;
                }
                dst[o] = clip(r);
                dst[o + 1] = clip(g);
                dst[o + 2] = clip(b);
            }
        }
        return new RgbImage(outWidth, rows, dst);
    }

    private static RgbImage vertical(RgbImage image, int outHeight, Taps taps) {
        byte[] src = image.pixels();
        int stride = image.width() * 3;
        byte[] dst = new byte[stride * outHeight];
        int[] acc = new int[stride];
        for (int y = 0; y < outHeight; y++) {
            Arrays.fill(acc, HALF);
            int k = y * taps.size;
            // Row by row rather than pixel by pixel: the same integer sums, in a cache-friendly order.
            for (int i = 0, n = taps.count[y]; i < n; i++) {
                int w = taps.weights[k + i];
                int row = (taps.start[y] + i) * stride;
                for (int j = 0; j < stride; j++) {
                    acc[j] += (src[row + j] & 0xff) * w;
                }
            }
            int out = y * stride;
            for (int j = 0; j < stride; j++) {
                dst[out + j] = clip(acc[j]);
            }
        }
        return new RgbImage(image.width(), outHeight, dst);
    }

    private static byte clip(int fixedPoint) {
        int v = fixedPoint >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
