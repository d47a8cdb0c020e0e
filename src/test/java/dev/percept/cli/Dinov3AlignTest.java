package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.align.AlignFixtures;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.model.Backbone;
import dev.percept.model.FeatureMode;
import dev.percept.model.ModelLoader;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DINOv3 goes through alignment and evaluation like the other families: LoRA on the fused qkv
 * (fused from Hugging Face's separate q/k/v projections, the key without bias), the adapter
 * loads back and changes the features, merges into the hub layout (fused bias and its mask written
 * back), and 2AFC evaluation runs in every pooled feature mode.
 */
class Dinov3AlignTest {
    static final Path MODEL = Path.of("src/test/resources/parity_dinov3/plain_hf/model").toAbsolutePath();
    /** The same weights in the hub layout: canonical adapter keys apply to both. */
    static final Path HUB = Path.of("src/test/resources/parity_dinov3/plain_hub/model").toAbsolutePath();

    @TempDir
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void triplets() throws IOException {
        Engine.start(2);
        AlignFixtures.colourTriplets(data, 40, 24, 11);
    }

    @Test
    void oneEpochOfLoraOnQkvGivesAnAdapterThatLoadsAndEvaluates() {
        Path run = dir.resolve("run");
        Cli r = Cli.run("align", "--model", MODEL.toString(), "--data", data.resolve("train.csv").toString(),
                "--out", run.toString(), "--epochs", "1", "--batch", "16", "--lr", "1e-2", "--lora-r", "4",
                "--lora-dropout", "0", "--image-size", "48", "--threads", "2", "--precision", "fp32");
        assertEquals(0, r.exitCode(), r.err());

        Safetensors adapter = Safetensors.read(run.resolve("adapter/adapter_model.safetensors"));
        assertEquals(4, adapter.tensors().size(), "lora_A and lora_B of qkv in each of the 2 blocks");
        double moved = 0;
        for (SafetensorsTensor t : adapter.tensors()) {
            assertTrue(t.name().matches("base_model\\.model\\.blocks\\.[01]\\.attn\\.qkv\\.lora_[AB]\\.weight"), t.name());
            assertArrayEquals(t.name().contains("lora_A") ? new long[] {4, 64} : new long[] {192, 4}, t.shape(), t.name());
            if (t.name().contains("lora_B")) {
                for (float v : t.toFloats()) {
                    moved = Math.max(moved, Math.abs(v));
                }
            }
        }
        assertTrue(moved > 1e-3, "the steps moved lora_B: " + moved);

        float[] pixels = new float[2 * 3 * 48 * 48];
        Random random = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        Path merged = dir.resolve("merged");
        Cli merge = Cli.run("merge", "--model", HUB.toString(), "--adapter", run.resolve("adapter").toString(),
                "--out", merged.toString());
        assertEquals(0, merge.exitCode(), merge.err());
        try (Backbone plain = ModelLoader.load(MODEL, null, Precision.FP32, ComputeDevice.CPU);
                Backbone adapted = ModelLoader.load(MODEL, run.resolve("adapter"), null, Precision.FP32, ComputeDevice.CPU);
                Backbone hubAdapted = ModelLoader.load(HUB, run.resolve("adapter"), null, Precision.FP32, ComputeDevice.CPU);
                Backbone hubMerged = ModelLoader.load(merged, null, Precision.FP32, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            assertEquals("dinov3-hub", hubMerged.layout());
            float[] a = cls(plain, pixels);
            float[] b = cls(adapted, pixels);
            assertTrue(maxGap(a, b) > 1e-3, "the adapter changes the class token: " + maxGap(a, b));
            float[] c = cls(hubAdapted, pixels);
            float[] m = cls(hubMerged, pixels);
            assertTrue(maxGap(c, m) < 1e-5, "merged hub checkpoint vs adapter on the fly: " + maxGap(c, m));
        }

        for (String features : new String[] {"cls", "cls_normed", "patch_mean", "cls_patch"}) {
            Cli eval = Cli.run("eval", "2afc", "--model", MODEL.toString(), "--adapter", run.resolve("adapter").toString(),
                    "--features", features, "--image-size", "48", "--data", data.resolve("test.csv").toString());
            assertEquals(0, eval.exitCode(), features + ": " + eval.err());
        }
    }

    private static float[] cls(Backbone b, float[] pixels) {
        return Tensors.toFloats(b.features(Placement.CPU.floats(pixels, 2, 3, 48, 48), FeatureMode.CLS));
    }

    private static double maxGap(float[] a, float[] b) {
        double gap = 0;
        for (int i = 0; i < a.length; i++) {
            gap = Math.max(gap, Math.abs(a[i] - b[i]));
        }
        return gap;
    }
}
