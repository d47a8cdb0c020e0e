package dev.percept.image;

import java.awt.image.Raster;

/**
 * Turns the decoded components of a JPEG (as stored: no colour conversion applied) into RGB the
 * way Pillow does: libjpeg's fixed-point YCbCr to RGB, libjpeg's YCCK to CMYK, then Pillow's
 * inverted ("Adobe") CMYK and its CMYK to RGB formula.
 */
final class JpegColor {
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegColor() {}

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    static RgbImage toRgb(Raster raster, JpegHeader.ColorSpace space) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                switch (space) {
                    case GRAY -> {
                        byte v = (byte) row[p];
                        out[o] = v;
                        out[o + 1] = v;
                        out[o + 2] = v;
                    }
                    case RGB -> {
                        out[o] = (byte) row[p];
                        out[o + 1] = (byte) row[p + 1];
                        out[o + 2] = (byte) row[p + 2];
                    }
                    case YCBCR -> {
                        int yy = row[p];
                        int cb = row[p + 1];
                        int cr = row[p + 2];
                        out[o] = (byte) clamp(yy + CR_R[cr]);
                        out[o + 1] = (byte) clamp(yy + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
                        out[o + 2] = (byte) clamp(yy + CB_B[cb]);
                    }
                    case CMYK -> {
                        // Pillow reads every CMYK JPEG as inverted: ink = 255 - stored.
                        int k = row[p + 3];
                        out[o] = cmykChannel(255 - row[p], k);
                        out[o + 1] = cmykChannel(255 - row[p + 1], k);
                        out[o + 2] = cmykChannel(255 - row[p + 2], k);
                    }
                    case YCCK -> {
                        // libjpeg turns YCC into CMY = 255 - RGB; Pillow's inversion makes ink = RGB.
                        int yy = row[p];
                        int cb = row[p + 1];
                        int cr = row[p + 2];
                        int k = row[p + 3];
                        out[o] = cmykChannel(clamp(yy + CR_R[cr]), k);
                        out[o + 1] = cmykChannel(clamp(yy + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS)), k);
                        out[o + 2] = cmykChannel(clamp(yy + CB_B[cb]), k);
                    }
                }
                o += 3;
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * Pillow's CMYK to RGB for one channel: {@code nk - ink * nk / 255} with its rounded
     * division by 255, where {@code nk = 255 - k} is the stored (inverted) K sample.
     */
    private static byte cmykChannel(int ink, int storedK) {
        int t = ink * storedK + 128;
        return (byte) (storedK - (((t >> 8) + t) >> 8));
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
