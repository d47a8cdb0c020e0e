package dev.percept.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    private static final Normalization HALF = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

    @Test
    void normalisesAndLaysOutChannelsFirst() {
        // (x, y): (0,0) = (255, 0, 51), (1,0) = (0, 255, 102), (0,1) = (51, 102, 153), (1,1) = (204, 153, 255)
        RgbImage image = image(2, 2, 255, 0, 51, 0, 255, 102, 51, 102, 153, 204, 153, 255);
        float[] chw = Preprocessing.squash(2, 2, ResampleFilter.BICUBIC, HALF).toChw(image);
        // (v / 255 - 0.5) / 0.5: 0 -> -1, 51 -> -0.6, 102 -> -0.2, 153 -> 0.2, 204 -> 0.6, 255 -> 1
        float[] expected = {
            1, -1, -0.6f, 0.6f, // red plane, row by row
            -1, 1, -0.2f, 0.2f, // green
            -0.6f, -0.2f, 0.2f, 1}; // blue
        assertArrayEquals(expected, chw, 1e-6f);
    }

    @Test
    void writesIntoABatchAtAnOffset() {
        RgbImage image = image(1, 1, 0, 255, 51);
        float[] batch = new float[7];
        Preprocessing.squash(1, 1, ResampleFilter.BILINEAR, HALF).toChw(image, batch, 4);
        assertArrayEquals(new float[] {0, 0, 0, 0, -1, 1, -0.6f}, batch, 1e-6f);
    }

    @Test
    void centreCropRoundsHalvesToEvenLikeTorchvision() {
        // 6x4, shorter side already 4: no resize. Crop 3x3: top = round(0.5) = 0, left = round(1.5) = 2.
        byte[] pixels = new byte[6 * 4 * 3];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                pixels[(y * 6 + x) * 3] = (byte) (10 * x + y); // red encodes the position
            }
        }
        RgbImage fitted = Preprocessing.shorterSideThenCenterCrop(4, 3, 3, ResampleFilter.BICUBIC, HALF)
                .fit(new RgbImage(6, 4, pixels));
        assertEquals(3, fitted.width());
        assertEquals(3, fitted.height());
        assertEquals(20, fitted.get(0, 0, 0));
        assertEquals(42, fitted.get(2, 2, 0));
    }

    @Test
    void shorterSideSizeTruncatesTheLongSide() {
        assertArrayEquals(new int[] {54, 41}, Preprocessing.shorterSideSize(128, 96, 41)); // 41 * 128 / 96 = 54.67
        assertArrayEquals(new int[] {41, 54}, Preprocessing.shorterSideSize(96, 128, 41));
        assertArrayEquals(new int[] {298, 224}, Preprocessing.shorterSideSize(640, 480, 224));
        assertArrayEquals(new int[] {224, 224}, Preprocessing.shorterSideSize(500, 500, 224));
    }

    /** torchvision's Resize + (CenterCrop) + ToTensor + Normalize on the same PIL image. */
    @Test
    void matchesTorchvisionExactly() {
        RgbImage source = ImageDecoder.decode(Fixtures.image("resize_source.png"));
        FloatArray squash = Npy.readFloats(Fixtures.image("preprocess_squash_24x32_bicubic.npy"));
        assertArrayEquals(new long[] {3, 24, 32}, squash.shape());
        assertArrayEquals(squash.data(),
                Preprocessing.squash(24, 32, ResampleFilter.BICUBIC, Normalization.IMAGENET).toChw(source));

        FloatArray crop = Npy.readFloats(Fixtures.image("preprocess_shorter41_crop28x31_bilinear.npy"));
        assertArrayEquals(new long[] {3, 28, 31}, crop.shape());
        assertArrayEquals(crop.data(), Preprocessing.shorterSideThenCenterCrop(41, 28, 31, ResampleFilter.BILINEAR,
                Normalization.IMAGENET).toChw(source));
    }

    @Test
    void standardConstants() {
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, Normalization.IMAGENET.mean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, Normalization.IMAGENET.std());
        assertArrayEquals(new float[] {0.48145466f, 0.4578275f, 0.40821073f}, Normalization.CLIP.mean());
        assertArrayEquals(new float[] {0.26862954f, 0.26130258f, 0.27577711f}, Normalization.CLIP.std());
        Preprocessing dreamsim = Preprocessing.dreamsim(Normalization.CLIP);
        assertEquals(224, dreamsim.height());
        assertEquals(224, dreamsim.width());
        assertEquals(Preprocessing.Mode.SQUASH, dreamsim.mode());
        assertEquals(ResampleFilter.BICUBIC, dreamsim.filter());
    }

    @Test
    void rejectsACropLargerThanTheResizedImage() {
        assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.shorterSideThenCenterCrop(200, 224, 224, ResampleFilter.BICUBIC, Normalization.IMAGENET));
        assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[] {0, 0, 0}, new float[] {1, 0, 1}));
    }

    private static RgbImage image(int width, int height, int... rgb) {
        byte[] pixels = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            pixels[i] = (byte) rgb[i];
        }
        return new RgbImage(width, height, pixels);
    }
}
