package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every layout against an independent PyTorch implementation on the same tiny random weights
 * (fixtures made by tools/reference/make_parity_fixtures.py): last-block tokens, final-norm tokens
 * and, for CLIP-style models, the projected embedding, at the native resolution and at a
 * non-square one that forces position-embedding resampling.
 */
class ParityTest {
    /** float32 against a float64 reference; measured worst case is about 2e-6. */
    static final double TOLERANCE = 1e-4;
    static final Path FIXTURES = Path.of("src/test/resources/parity");
    /** Made by tools/reference/make_dinov3_fixtures.py: two DINOv3 variants in three layouts. */
    static final Path DINOV3_FIXTURES = Path.of("src/test/resources/parity_dinov3");

    @BeforeAll
    static void engine() {
        Engine.start(2);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "vit_hf, hf-vit",
        "dino_timm, timm",
        "dinov2_hub, timm",
        "dinov2_hf, hf-dinov2",
        "clip_hf, hf-clip",
        "open_clip, open_clip"
    })
    void matchesPyTorchReference(String name, String layout) {
        matches(FIXTURES.resolve(name), layout);
    }

    /**
     * DINOv3 (RoPE on the patch tokens, storage tokens, LayerScale, masked key bias; plain GELU
     * MLP and SwiGLU) at a square and a non-square grid; the hub files' stored periods differ
     * from the derived ones by the bfloat16 rounding of the released checkpoints.
     */
    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "plain_hub, dinov3-hub",
        "plain_timm, timm-dinov3",
        "plain_hf, hf-dinov3",
        "swiglu_hub, dinov3-hub",
        "swiglu_timm, timm-dinov3",
        "swiglu_hf, hf-dinov3"
    })
    void dinov3MatchesPyTorchReference(String name, String layout) {
        matches(DINOV3_FIXTURES.resolve(name), layout);
    }

    /**
     * The hub's own distribution format: the plain_hub state dict as a torch.save pickle (periods
     * stored in bfloat16, as in the released files), opened as a single weights file.
     */
    @Test
    void dinov3HubPickleMatchesTheSameReference() {
        Path reference = DINOV3_FIXTURES.resolve("plain_hub");
        try (Backbone backbone = ModelLoader.load(DINOV3_FIXTURES.resolve("plain_pth/dinov3_pretrain.pth"), null,
                Precision.FP32, ComputeDevice.CPU)) {
            assertEquals("dinov3-hub", backbone.layout());
            compare(backbone, reference, "");
            compare(backbone, reference, "_alt");
        }
    }

    private static void matches(Path dir, String layout) {
        try (Backbone backbone = ModelLoader.load(dir.resolve("model"), null, Precision.FP32, ComputeDevice.CPU)) {
            assertEquals(layout, backbone.layout());
            for (String suffix : new String[] {"", "_alt"}) {
                if (Files.exists(dir.resolve("pixels" + suffix + ".npy"))) {
                    compare(backbone, dir, suffix);
                }
            }
        }
    }

    private static void compare(Backbone backbone, Path dir, String suffix) {
        FloatArray pixels = Npy.readFloats(dir.resolve("pixels" + suffix + ".npy"));
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            Tensor input = Placement.CPU.floats(pixels.data(), pixels.shape());
            Tensor tokens = backbone.transformer().forward(input);
            assertClose(dir, "tokens" + suffix, tokens);
            assertClose(dir, "normed" + suffix, backbone.transformer().finalNorm(tokens));
            if (Files.exists(dir.resolve("embedding" + suffix + ".npy"))) {
                assertClose(dir, "embedding" + suffix, backbone.features(input, FeatureMode.EMBEDDING));
            }
        }
    }

    private static void assertClose(Path dir, String output, Tensor actual) {
        FloatArray expected = Npy.readFloats(dir.resolve(output + ".npy"));
        long[] shape = new long[(int) actual.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = actual.size(i);
        }
        assertArrayEquals(expected.shape(), shape, output + " shape");
        float[] got = Tensors.toFloats(actual);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected.data()[i]));
        }
        System.out.printf("parity %s/%s: max abs error %.2e%n", dir.getFileName(), output, worst);
        assertTrue(worst <= TOLERANCE, dir.getFileName() + "/" + output + ": max abs error " + worst
                + " exceeds " + TOLERANCE + " (shape " + Arrays.toString(shape) + ")");
    }
}
