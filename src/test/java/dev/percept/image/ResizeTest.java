package dev.percept.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.percept.PerceptException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResizeTest {
    /** Pillow's Image.resize output for the 128x96 source, exact to the bit. */
    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({
        "BICUBIC, 224, 224", "BICUBIC, 23, 17", "BICUBIC, 113, 90", "BICUBIC, 151, 97", "BICUBIC, 64, 96", "BICUBIC, 128, 40",
        "BILINEAR, 23, 17", "BILINEAR, 113, 90", "BILINEAR, 151, 97", "BILINEAR, 64, 96", "BILINEAR, 128, 40"})
    void matchesPillowExactly(ResampleFilter filter, int width, int height) {
        RgbImage source = ImageDecoder.decode(Fixtures.image("resize_source.png"));
        RgbImage expected = Fixtures.rgbNpy("resize_" + filter.name().toLowerCase() + "_" + width + "x" + height + ".npy");
        assertEquals(0, Fixtures.maxDifference(expected, Resize.resize(source, width, height, filter)));
    }

    @Test
    void largeShrinkMatchesPillowExactly() {
        RgbImage source = pattern(1024, 768);
        assertEquals(0, Fixtures.maxDifference(Fixtures.rgbNpy("pattern1024x768_bicubic_224x224.npy"),
                Resize.resize(source, 224, 224, ResampleFilter.BICUBIC)));
        assertEquals(0, Fixtures.maxDifference(Fixtures.rgbNpy("pattern1024x768_bilinear_97x61.npy"),
                Resize.resize(source, 97, 61, ResampleFilter.BILINEAR)));
    }

    /** The formula of make_image_fixtures.py's pattern(): sharp edges and high frequencies. */
    static RgbImage pattern(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0, o = 0; y < height; y++) {
            for (int x = 0; x < width; x++, o += 3) {
                pixels[o] = (byte) ((x * x + 3 * y) % 256);
                pixels[o + 1] = (byte) ((x * y / 7) % 256);
                pixels[o + 2] = (byte) ((x / 16 + y / 16) % 2 == 0 ? 230 : 25);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    @Test
    void halvingTwoPixelsAveragesThemWithRounding() {
        // Shrinking by 2 widens the triangle filter to support 2; both taps weigh 0.5.
        RgbImage two = new RgbImage(2, 1, new byte[] {10, 0, (byte) 255, 20, 100, 0});
        assertArrayEquals(new byte[] {15, 50, (byte) 128}, Resize.resize(two, 1, 1, ResampleFilter.BILINEAR).pixels());
    }

    @Test
    void bicubicRingingIsClippedTo8Bits() {
        // Keys' cubic undershoots before a step and overshoots after it: pixels 2 and 5 come out
        // near -18 and 273 before clipping. Values as Pillow gives them.
        byte[] step = new byte[12];
        Arrays.fill(step, 6, 12, (byte) 255);
        byte[] out = Resize.resize(new RgbImage(4, 1, step), 8, 1, ResampleFilter.BICUBIC).pixels();
        int[] red = new int[8];
        for (int x = 0; x < 8; x++) {
            red[x] = out[3 * x] & 0xff;
        }
        assertArrayEquals(new int[] {0, 0, 0, 52, 203, 255, 255, 255}, red);
    }

    @Test
    void sameSizeReturnsTheImageUnchanged() {
        RgbImage image = pattern(5, 4);
        assertSame(image, Resize.resize(image, 5, 4, ResampleFilter.BICUBIC));
    }

    @Test
    void pillowFilterCodes() {
        assertEquals(ResampleFilter.BILINEAR, ResampleFilter.fromPilCode(2));
        assertEquals(ResampleFilter.BICUBIC, ResampleFilter.fromPilCode(3));
        assertThrows(PerceptException.class, () -> ResampleFilter.fromPilCode(1));
    }
}
