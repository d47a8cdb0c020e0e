package dev.percept.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.percept.image.JpegHeader.ColorSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JpegHeaderTest {
    private static final int NONE = JpegHeader.NO_ADOBE;

    @Test
    void colourSpaceFollowsLibjpegsGuess() {
        assertEquals(ColorSpace.GRAY, header(1, new int[] {1}, false, NONE).colorSpace());
        assertEquals(ColorSpace.YCBCR, header(3, new int[] {1, 2, 3}, true, 0).colorSpace(), "JFIF wins over Adobe");
        assertEquals(ColorSpace.RGB, header(3, new int[] {1, 2, 3}, false, 0).colorSpace());
        assertEquals(ColorSpace.YCBCR, header(3, new int[] {1, 2, 3}, false, 1).colorSpace());
        assertEquals(ColorSpace.RGB, header(3, new int[] {'R', 'G', 'B'}, false, NONE).colorSpace());
        assertEquals(ColorSpace.YCBCR, header(3, new int[] {0, 1, 2}, false, NONE).colorSpace());
        assertEquals(ColorSpace.CMYK, header(4, new int[] {1, 2, 3, 4}, false, NONE).colorSpace());
        assertEquals(ColorSpace.CMYK, header(4, new int[] {1, 2, 3, 4}, false, 0).colorSpace());
        assertEquals(ColorSpace.YCCK, header(4, new int[] {1, 2, 3, 4}, false, 2).colorSpace());
    }

    @Test
    void readsMarkersOfThePillowFixtures() {
        JpegHeader cmyk = JpegHeader.parse(bytes("jpeg_cmyk.jpg"), Path.of("jpeg_cmyk.jpg"));
        assertEquals(4, cmyk.components());
        assertEquals(0, cmyk.adobeTransform());
        JpegHeader ycck = JpegHeader.parse(bytes("jpeg_ycck.jpg"), Path.of("jpeg_ycck.jpg"));
        assertEquals(ColorSpace.YCCK, ycck.colorSpace());
        JpegHeader rotated = JpegHeader.parse(bytes("jpeg_exif6.jpg"), Path.of("jpeg_exif6.jpg"));
        assertEquals(6, rotated.orientation());
        assertEquals(ColorSpace.YCBCR, rotated.colorSpace());
    }

    @Test
    void exifOrientationInBigEndianTiffAndAsLong() {
        // "MM", 42, IFD0 at 8; one entry: tag 0x0112, type LONG (4), count 1, value 8.
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 4, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0};
        assertEquals(8, ExifOrientation.parse(tiff, 0, tiff.length));
        assertEquals(1, ExifOrientation.parse(tiff, 0, 16), "an entry cut short is ignored");
        tiff[21] = 9;
        assertEquals(1, ExifOrientation.parse(tiff, 0, tiff.length), "values outside 1..8 mean no transpose");
    }

    private static JpegHeader header(int components, int[] ids, boolean jfif, int adobe) {
        return new JpegHeader(components, ids, jfif, adobe, 1);
    }

    private static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(Fixtures.image(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
