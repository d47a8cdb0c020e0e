package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Tensors;
import dev.percept.tensor.Precision;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model loaded from PyTorch files (tools/reference/make_torch_fixtures.py) computes what the
 * same weights compute from safetensors: every container, view layout, wrapper and shard index.
 */
class TorchCheckpointTest {
    static final Path TORCH = Path.of("src/test/resources/torch");
    static final Path VIT = TORCH.resolve("vit");
    /** The same weights through the same kernels: only the bytes' route differs. */
    static final double TOLERANCE = 1e-6;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "-", value = {
        "zip.pth, -, model.safetensors",
        "legacy.pth, -, model.safetensors",
        "views.pth, -, model.safetensors",
        "sharded, -, model.safetensors",
        "sharded/pytorch_model.bin.index.json, -, model.safetensors",
        "dino_checkpoint.pth, teacher, model.safetensors",
        "dino_checkpoint.pth, student, student.safetensors",
        "half.pth, -, half_expected.safetensors"
    })
    void featuresEqualTheSafetensorsRoute(String file, String key, String reference) {
        assertSameFeatures(Checkpoint.open(VIT.resolve(file), key), Checkpoint.open(VIT.resolve(reference)), null);
    }

    @Test
    void openClipBinInAFolderLoadsAsOpenClip() {
        Checkpoint bin = Checkpoint.open(TORCH.resolve("open_clip"));
        assertEquals("open_clip_model.safetensors", bin.weightFileName());
        assertSameFeatures(bin, Checkpoint.open(ParityTest.FIXTURES.resolve("open_clip/model")), null);
    }

    @Test
    void adapterModelBinMergesAsItsSafetensorsTwin() {
        assertSameFeatures(Checkpoint.open(VIT.resolve("zip.pth")), Checkpoint.open(VIT.resolve("model.safetensors")),
                new Path[] {VIT.resolve("adapter_bin"), VIT.resolve("adapter_safetensors")});
        double changed = maxDifference(Checkpoint.open(VIT.resolve("zip.pth")), Checkpoint.open(VIT.resolve("model.safetensors")),
                new Path[] {VIT.resolve("adapter_bin"), null});
        assertTrue(changed > 1e-2, "the adapter changes the features by " + changed);
    }

    @Test
    void checkpointKeyErrorsNameTheCandidates() {
        String ambiguous = assertThrows(PerceptException.class, () -> Checkpoint.open(VIT.resolve("dino_checkpoint.pth"))).getMessage();
        assertTrue(ambiguous.contains("dino_checkpoint.pth holds several state dicts [teacher, student]"), ambiguous);
        String absent = assertThrows(PerceptException.class,
                () -> Checkpoint.open(VIT.resolve("dino_checkpoint.pth"), "ema")).getMessage();
        assertTrue(absent.contains("no entry 'ema'") && absent.contains("[teacher, student, optimizer, dino_loss]"), absent);
        String safetensors = assertThrows(PerceptException.class,
                () -> Checkpoint.open(VIT.resolve("model.safetensors"), "teacher")).getMessage();
        assertTrue(safetensors.contains("--checkpoint-key teacher applies to PyTorch checkpoints"), safetensors);
    }

    @Test
    void nonWeightDtypesAreRefusedByNameWhenRead() {
        Checkpoint c = Checkpoint.open(TORCH.resolve("tensors/zip.pth"));
        assertArrayEquals(new long[] {}, c.shape("num_batches_tracked"));
        String message = assertThrows(PerceptException.class, () -> c.load("num_batches_tracked")).getMessage();
        assertTrue(message.contains("tensor num_batches_tracked in") && message.contains("has dtype I64; weights must be F32, F16 or BF16"),
                message);
        try (PointerScope scope = new PointerScope()) {
            Tensor t = c.load("transposed"); // a strided view becomes a contiguous float32 tensor
            assertTrue(t.is_contiguous());
            assertArrayEquals(c.stored("transposed").toFloats(), Tensors.toFloats(t));
        }
    }

    /** Loads both (with the adapters, if given: first for {@code a}, second for {@code b}) and compares last-block tokens. */
    private static void assertSameFeatures(Checkpoint a, Checkpoint b, Path[] adapters) {
        double worst = maxDifference(a, b, adapters);
        System.out.printf("torch route %s vs %s: max abs difference %.2e%n", a.describe(), b.describe(), worst);
        assertTrue(worst <= TOLERANCE, a.describe() + ": max abs difference " + worst);
    }

    private static double maxDifference(Checkpoint a, Checkpoint b, Path[] adapters) {
        try (Backbone x = ModelLoader.load(a, adapters == null ? null : adapters[0], null, Precision.FP32, ComputeDevice.CPU);
                Backbone y = ModelLoader.load(b, adapters == null ? null : adapters[1], null, Precision.FP32, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            assertEquals(y.layout(), x.layout());
            int side = x.input().size();
            float[] pixels = new float[2 * 3 * side * side];
            Random random = new Random(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextGaussian();
            }
            Tensor input = Placement.CPU.floats(pixels, 2, 3, side, side);
            float[] fx = Tensors.toFloats(x.transformer().forward(input));
            float[] fy = Tensors.toFloats(y.transformer().forward(input));
            assertEquals(fy.length, fx.length);
            double worst = 0;
            for (int i = 0; i < fx.length; i++) {
                worst = Math.max(worst, Math.abs(fx[i] - fy[i]));
            }
            return worst;
        }
    }
}
