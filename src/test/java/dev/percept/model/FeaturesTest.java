package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.image.Normalization;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The feature modes are the documented slices of the reference tokens. */
class FeaturesTest {
    @BeforeAll
    static void engine() {
        Engine.start(2);
    }

    /**
     * On the non-square input of each case: DINOv2 with 4 registers (40x56, a 5x7 grid) and
     * DINOv3 with 4 storage tokens (32x64, a 2x4 grid); patch features leave the class token and
     * the registers out.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"parity/dinov2_hub, 5, 7", "parity_dinov3/swiglu_hf, 2, 4"})
    void featureModesSliceTheLastBlockAsDocumented(String fixture, int rows, int cols) {
        Path dir = Path.of("src/test/resources").resolve(fixture);
        FloatArray pixels = Npy.readFloats(dir.resolve("pixels_alt.npy"));
        FloatArray tokens = Npy.readFloats(dir.resolve("tokens_alt.npy")); // [2, 1 + 4 + rows * cols, 64]
        FloatArray normed = Npy.readFloats(dir.resolve("normed_alt.npy"));
        int d = 64;
        int prefix = 5;
        int patches = rows * cols;
        assertEquals(prefix + patches, tokens.shape()[1]);
        try (Backbone b = ModelLoader.load(dir.resolve("model"), null, Precision.FP32, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            assertEquals(FeatureMode.CLS, b.defaultFeatures());
            assertEquals(4, b.config().registers());
            Tensor in = Placement.CPU.floats(pixels.data(), pixels.shape());
            float[] cls = features(b, in, FeatureMode.CLS, 2, d);
            float[] clsNormed = features(b, in, FeatureMode.CLS_NORMED, 2, d);
            float[] mean = features(b, in, FeatureMode.PATCH_MEAN, 2, d);
            float[] clsPatch = features(b, in, FeatureMode.CLS_PATCH, 2, 2 * d);
            Tensor grid = b.features(in, FeatureMode.PATCH_TOKENS);
            assertArrayEquals(new long[] {2, rows, cols, d}, grid.sizes().vec().get());
            float[] gridValues = Tensors.toFloats(grid);
            for (int img = 0; img < 2; img++) {
                int t0 = img * (prefix + patches) * d;
                for (int c = 0; c < d; c++) {
                    assertEquals(tokens.data()[t0 + c], cls[img * d + c], 1e-4);
                    assertEquals(normed.data()[t0 + c], clsNormed[img * d + c], 1e-4);
                    double sum = 0;
                    for (int p = 0; p < patches; p++) {
                        float ref = tokens.data()[t0 + (prefix + p) * d + c];
                        assertEquals(ref, gridValues[(img * patches + p) * d + c], 1e-4);
                        sum += ref;
                    }
                    assertEquals(sum / patches, mean[img * d + c], 1e-4);
                    assertEquals(cls[img * d + c], clsPatch[img * 2 * d + c], 0);
                    assertEquals(mean[img * d + c], clsPatch[img * 2 * d + d + c], 0);
                }
            }
            assertThrows(PerceptException.class, () -> b.features(in, FeatureMode.EMBEDDING));
        }
    }

    /** CLIP, and DINOv3 whose rotary embedding runs in float32 inside a bf16 model. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"parity/clip_hf", "parity_dinov3/plain_hub", "parity_dinov3/swiglu_timm"})
    void bf16StaysWithinCosine0999OfFloat32(String fixture) {
        Path dir = Path.of("src/test/resources").resolve(fixture);
        FloatArray pixels = Npy.readFloats(dir.resolve("pixels_alt.npy"));
        Path model = dir.resolve("model");
        try (Backbone fp32 = ModelLoader.load(model, null, Precision.FP32, ComputeDevice.CPU);
                Backbone bf16 = ModelLoader.load(model, null, Precision.BF16, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            assertEquals(Precision.BF16, bf16.precision());
            Tensor in = Placement.CPU.floats(pixels.data(), pixels.shape());
            for (FeatureMode mode : new FeatureMode[] {fp32.defaultFeatures(), FeatureMode.CLS_PATCH}) {
                float[] a = Tensors.toFloats(fp32.features(in, mode));
                float[] b = Tensors.toFloats(bf16.features(in, mode));
                int dim = a.length / 2;
                for (int img = 0; img < 2; img++) {
                    double cos = cosine(Arrays.copyOfRange(a, img * dim, (img + 1) * dim),
                            Arrays.copyOfRange(b, img * dim, (img + 1) * dim));
                    assertTrue(cos > 0.999, mode + " image " + img + ": cosine " + cos);
                }
            }
        }
    }

    @Test
    void preprocessorConfigWinsOverFamilyDefaults() {
        try (Backbone clip = ModelLoader.load(ParityTest.FIXTURES.resolve("clip_hf/model"), null, Precision.FP32, ComputeDevice.CPU)) {
            Normalization stats = clip.input().normalization();
            assertArrayEquals(new float[] {0.43f, 0.54f, 0.35f}, stats.mean());
            assertArrayEquals(new float[] {0.23f, 0.34f, 0.25f}, stats.std());
            assertEquals(32, clip.input().size());
            assertEquals(FeatureMode.EMBEDDING, clip.defaultFeatures());
            assertEquals(32, clip.config().projectionDim());
        }
    }

    @Test
    void dinov3TakesTimmsNormalisationFromItsConfigAndImagenetsOtherwise() {
        Path cases = ParityTest.DINOV3_FIXTURES;
        try (Backbone timm = ModelLoader.load(cases.resolve("plain_timm/model"), null, Precision.FP32, ComputeDevice.CPU);
                Backbone hub = ModelLoader.load(cases.resolve("plain_hub/model"), null, Precision.FP32, ComputeDevice.CPU)) {
            assertArrayEquals(new float[] {0.45f, 0.46f, 0.37f}, timm.input().normalization().mean());
            assertArrayEquals(new float[] {0.25f, 0.26f, 0.27f}, timm.input().normalization().std());
            assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, hub.input().normalization().mean());
            assertEquals(224, hub.input().size());
            assertEquals(4, hub.config().heads(), "4 x the 4 stored periods = head width 16");
            assertEquals(FeatureMode.CLS, hub.defaultFeatures());
        }
    }

    private static float[] features(Backbone b, Tensor in, FeatureMode mode, int rows, int dim) {
        Tensor f = b.features(in, mode);
        assertArrayEquals(new long[] {rows, dim}, f.sizes().vec().get(), mode.toString());
        return Tensors.toFloats(f);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
