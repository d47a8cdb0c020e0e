package dev.percept.image;

/**
 * The EXIF orientation tag (0x0112) and the transpose that undoes it, as Pillow's
 * {@code ImageOps.exif_transpose} applies it.
 */
final class ExifOrientation {
    private static final int TAG = 0x0112;

    private ExifOrientation() {}

    /** The orientation in IFD0 of the TIFF structure at {@code b[start..start+length)}; 1 when absent or unreadable. */
    static int parse(byte[] b, int start, int length) {
        if (length < 8) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || ifd + 2 > length) {
            return 1;
        }
        int entries = u16(b, start + (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = start + (int) ifd + 2 + 12 * i;
            if (entry + 12 > start + length) {
                return 1;
            }
            if (u16(b, entry, little) != TAG || u32(b, entry + 4, little) != 1) {
                continue;
            }
            int type = u16(b, entry + 2, little);
            long value = type == 3 ? u16(b, entry + 8, little) : type == 4 ? u32(b, entry + 8, little) : 1;
            return value >= 1 && value <= 8 ? (int) value : 1;
        }
        return 1;
    }

    /** The image as it should be displayed, given its orientation tag (1..8). */
    static RgbImage apply(RgbImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean swap = orientation >= 5;
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        int o = 0;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                // (sx, sy): the source pixel shown at (x, y).
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }          // mirrored
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // upside down
                    case 4 -> { sx = x; sy = h - 1 - y; }          // flipped vertically
                    case 5 -> { sx = y; sy = x; }                  // transposed
                    case 6 -> { sx = y; sy = h - 1 - x; }          // needs a quarter turn clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transversed
                    default -> { sx = w - 1 - y; sy = x; }         // 8: needs a quarter turn counter-clockwise
                }
                int s = (sy * w + sx) * 3;
                dst[o++] = src[s];
                dst[o++] = src[s + 1];
                dst[o++] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, dst);
    }

    private static int u16(byte[] b, int pos, boolean little) {
        return little ? (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 : (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
    }

    private static long u32(byte[] b, int pos, boolean little) {
        return little
                ? (u16(b, pos, true) & 0xffffL) | (long) u16(b, pos + 2, true) << 16
                : (long) u16(b, pos, false) << 16 | (u16(b, pos + 2, false) & 0xffffL);
    }
}
