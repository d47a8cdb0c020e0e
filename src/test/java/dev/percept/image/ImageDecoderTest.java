package dev.percept.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "png_rgb.png", "png_rgba.png", "png_gray.png", "png_gray_alpha.png", "png_palette_trns.png",
        "png_palette_4bit.png", "png_1bit.png", "png_rgb16.png", "png_gray16.png", "bmp_rgb.bmp", "gif_palette.gif"})
    void losslessImagesMatchPillowExactly(String name) {
        RgbImage expected = Fixtures.rgbNpy(name + ".rgb.npy");
        RgbImage actual = ImageDecoder.decode(Fixtures.image(name));
        assertEquals(0, Fixtures.maxDifference(expected, actual), name);
    }

    /**
     * Exact too: measured 0 difference with Debian's JDK 17 (system libjpeg-turbo 2.1) and with
     * Temurin 25 (bundled IJG libjpeg 6b); both use libjpeg's default islow IDCT and fancy
     * upsampling, as Pillow does, and the colour conversion is ours.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "jpeg_photo.jpg", "jpeg_rgb420.jpg", "jpeg_rgb422.jpg", "jpeg_rgb444.jpg", "jpeg_progressive.jpg",
        "jpeg_gray.jpg", "jpeg_cmyk.jpg", "jpeg_ycck.jpg"})
    void jpegsMatchPillowExactly(String name) {
        RgbImage expected = Fixtures.rgbNpy(name + ".rgb.npy");
        RgbImage actual = ImageDecoder.decode(Fixtures.image(name));
        assertEquals(0, Fixtures.maxDifference(expected, actual), name);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsAppliedAsPillowsExifTranspose(int orientation) {
        String name = "jpeg_exif" + orientation + ".jpg";
        RgbImage actual = ImageDecoder.decode(Fixtures.image(name));
        assertEquals(orientation >= 5 ? 16 : 24, actual.width(), "a quarter turn swaps 24x16");
        assertEquals(0, Fixtures.maxDifference(Fixtures.rgbNpy(name + ".rgb.npy"), actual), name);
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.jpg"));
        assertRejected(file, "empty file");
    }

    @Test
    void missingFileIsRejected() {
        assertRejected(dir.resolve("nowhere.png"), "no such file");
    }

    @Test
    void textFileIsNotAnImage() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.png"), "these are not pixels\n");
        assertRejected(file, "not an image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"png_rgb.png", "jpeg_photo.jpg", "jpeg_progressive.jpg", "gif_palette.gif", "bmp_rgb.bmp"})
    void truncatedImageIsRejected(String name) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.image(name));
        Path file = Files.write(dir.resolve("cut_" + name), Arrays.copyOf(whole, whole.length * 2 / 3));
        assertRejected(file, "truncated");
    }

    @Test
    void jpegCutInsideItsHeadersIsRejected() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.image("jpeg_photo.jpg"));
        Path file = Files.write(dir.resolve("head.jpg"), Arrays.copyOf(whole, 100));
        assertRejected(file, "truncated");
    }

    @Test
    void garbageAfterAJpegSignatureIsRejected() throws IOException {
        byte[] bytes = new byte[400];
        new Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        Path file = Files.write(dir.resolve("noise.jpg"), bytes);
        assertRejected(file, "");
    }

    @Test
    void imageAbovePillowsPixelLimitIsRejectedBeforeDecoding() throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(20000).putInt(10000).put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        Path file = Files.write(dir.resolve("bomb.png"), png.array());
        assertRejected(file, "20000x10000 image exceeds the limit");
    }

    private static void assertRejected(Path file, String fragment) {
        PerceptException e = assertThrows(PerceptException.class, () -> ImageDecoder.decode(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }
}
