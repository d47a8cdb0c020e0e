package dev.percept.synth;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The low-level distortions of the BAPPS-like set, each at a strength in [0, 1]: Gaussian blur
 * (sigma up to 2.5 px at 64 px, scaled with the image), additive Gaussian noise (sigma up to 40
 * grey levels), JPEG compression (quality 90 down to 3) and colour jitter (brightness, contrast,
 * saturation and a hue rotation up to 0.25 turns).
 */
enum Distortions {
    BLUR, NOISE, JPEG, COLOR;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    int[] apply(int[] rgb, int size, double strength, SplittableRandom rng) {
        return switch (this) {
            case BLUR -> blur(rgb, size, 0.2 + 2.3 * strength * size / 64.0);
            case NOISE -> noise(rgb, 2 + 38 * strength, rng);
            case JPEG -> ImageFormats.jpegRoundTrip(rgb, size, (float) (0.9 - 0.87 * strength));
            case COLOR -> jitter(rgb, strength, rng);
        };
    }

    private static int[] blur(int[] rgb, int size, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = StrictMath.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        double[][] channels = split(rgb);
        for (double[] c : channels) {
            double[] tmp = new double[c.length];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * c[y * size + clamp(x + k, size)];
                    }
                    tmp[y * size + x] = v;
                }
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * tmp[clamp(y + k, size) * size + x];
                    }
                    c[y * size + x] = v;
                }
            }
        }
        return merge(channels);
    }

    private static int[] noise(int[] rgb, double sigma, SplittableRandom rng) {
        double[][] channels = split(rgb);
        for (int i = 0; i < rgb.length; i++) {
            for (double[] c : channels) {
                c[i] += gaussian(rng) * sigma;
            }
        }
        return merge(channels);
    }

    private static int[] jitter(int[] rgb, double strength, SplittableRandom rng) {
        double brightness = 1 + sign(rng) * 0.5 * strength;
        double contrast = 1 + sign(rng) * 0.5 * strength;
        double saturation = 1 + sign(rng) * 0.8 * strength;
        double hue = sign(rng) * 0.25 * strength * 2 * Math.PI;
        // hue rotation about the grey axis (Rodrigues' formula with axis (1, 1, 1) / sqrt 3)
        double cos = StrictMath.cos(hue);
        double sin = StrictMath.sin(hue);
        double third = (1 - cos) / 3;
        double root = sin / Math.sqrt(3);
        double[][] m = {
            {cos + third, third - root, third + root},
            {third + root, cos + third, third - root},
            {third - root, third + root, cos + third}};
        double[][] c = split(rgb);
        double mean = 0;
        for (int i = 0; i < rgb.length; i++) {
            mean += (c[0][i] + c[1][i] + c[2][i]) / 3;
        }
        mean /= rgb.length;
        for (int i = 0; i < rgb.length; i++) {
            double r = c[0][i];
            double g = c[1][i];
            double b = c[2][i];
            double[] v = {m[0][0] * r + m[0][1] * g + m[0][2] * b, m[1][0] * r + m[1][1] * g + m[1][2] * b,
                m[2][0] * r + m[2][1] * g + m[2][2] * b};
            double grey = (v[0] + v[1] + v[2]) / 3;
            for (int k = 0; k < 3; k++) {
                double s = grey + (v[k] - grey) * saturation;
                c[k][i] = ((s - mean) * contrast + mean) * brightness;
            }
        }
        return merge(c);
    }

    private static double sign(SplittableRandom rng) {
        return rng.nextBoolean() ? 1 : -1;
    }

    /** A standard normal draw (Box-Muller), deterministic from {@code rng}. */
    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }

    private static int clamp(int i, int size) {
        return Math.min(size - 1, Math.max(0, i));
    }

    private static double[][] split(int[] rgb) {
        double[][] c = new double[3][rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            c[0][i] = (rgb[i] >> 16) & 0xff;
            c[1][i] = (rgb[i] >> 8) & 0xff;
            c[2][i] = rgb[i] & 0xff;
        }
        return c;
    }

    private static int[] merge(double[][] c) {
        int[] out = new int[c[0].length];
        for (int i = 0; i < out.length; i++) {
            int r = (int) Math.round(Math.min(255, Math.max(0, c[0][i])));
            int g = (int) Math.round(Math.min(255, Math.max(0, c[1][i])));
            int b = (int) Math.round(Math.min(255, Math.max(0, c[2][i])));
            out[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }
}
