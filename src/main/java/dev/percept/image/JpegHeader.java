package dev.percept.image;

import dev.percept.PerceptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a JPEG's markers before the first scan say about its pixels: the component count and ids
 * (SOF), whether it has a JFIF (APP0) or Adobe (APP14) marker and the Adobe transform, and the
 * EXIF orientation (APP1).
 */
record JpegHeader(int components, int[] componentIds, boolean jfif, int adobeTransform, int orientation) {
    static final int NO_ADOBE = -1;

    /** How libjpeg interprets the stored components, which decides the colour conversion. */
    enum ColorSpace { GRAY, RGB, YCBCR, CMYK, YCCK }

    static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && (bytes[2] & 0xff) == 0xFF;
    }

    static JpegHeader parse(byte[] b, Path file) {
        int components = 0;
        int[] ids = new int[0];
        boolean jfif = false;
        int adobe = NO_ADOBE;
        int orientation = 1;
        boolean sawExif = false;
        int pos = 2;
        while (true) {
            if (pos >= b.length) {
                throw new PerceptException(file + ": JPEG is truncated before its first scan");
            }
            if ((b[pos] & 0xff) != 0xFF) {
                pos++; // stray bytes between segments: libjpeg skips them too
                continue;
            }
            while (pos < b.length && (b[pos] & 0xff) == 0xFF) {
                pos++;
            }
            if (pos >= b.length) {
                throw new PerceptException(file + ": JPEG is truncated before its first scan");
            }
            int marker = b[pos++] & 0xff;
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // no length field
            }
            if (marker == 0xD9) {
                throw new PerceptException(file + ": JPEG ends before any image data");
            }
            if (pos + 2 > b.length) {
                throw new PerceptException(file + ": JPEG is truncated before its first scan");
            }
            int length = u16(b, pos);
            int data = pos + 2;
            int dataLength = length - 2;
            if (length < 2 || data + dataLength > b.length) {
                throw new PerceptException(file + ": JPEG is truncated or corrupt (marker 0x" + Integer.toHexString(marker) + ")");
            }
            if (marker == 0xDA) {
                if (components == 0) {
                    throw new PerceptException(file + ": JPEG has a scan but no frame header");
                }
                return new JpegHeader(components, ids, jfif, adobe, orientation);
            }
            if (isFrame(marker) && dataLength >= 6) {
                components = b[data + 5] & 0xff;
                ids = new int[components];
                for (int i = 0; i < components && data + 6 + 3 * i < data + dataLength; i++) {
                    ids[i] = b[data + 6 + 3 * i] & 0xff;
                }
            } else if (marker == 0xE0 && dataLength >= 14 && startsWith(b, data, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xE1 && !sawExif && dataLength >= 6 && startsWith(b, data, "Exif\0\0")) {
                sawExif = true; // Pillow reads the first EXIF segment only
                orientation = ExifOrientation.parse(b, data + 6, dataLength - 6);
            } else if (marker == 0xEE && dataLength >= 12 && startsWith(b, data, "Adobe")) {
                adobe = b[data + 11] & 0xff;
            }
            pos = data + dataLength;
        }
    }

    /** libjpeg's default guess (jdapimin.c), which both Pillow and the JDK decoder follow. */
    ColorSpace colorSpace() {
        return switch (components) {
            case 1 -> ColorSpace.GRAY;
            case 3 -> {
                if (jfif) {
                    yield ColorSpace.YCBCR;
                }
                if (adobeTransform != NO_ADOBE) {
                    yield adobeTransform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
                }
                yield componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B' ? ColorSpace.RGB : ColorSpace.YCBCR;
            }
            case 4 -> adobeTransform == NO_ADOBE || adobeTransform == 0 ? ColorSpace.CMYK : ColorSpace.YCCK;
            default -> null;
        };
    }

    /** SOF0..SOF15, leaving out DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int pos, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < p.length; i++) {
            if (b[pos + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int pos) {
        return (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
    }
}
