package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.io.SafetensorsWriter;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A PEFT LoRA adapter loads as W + (alpha / r) B A, whatever prefix PEFT gave its keys. */
class LoraAdapterTest {
    static final Path DINO = ParityTest.FIXTURES.resolve("dino_timm");
    static final int R = 2;
    static final double ALPHA = 4;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    /** DINO, and a DINOv3 SwiGLU model whose timm names are the canonical ones (fc1_g, fc1_x). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "parity/dino_timm, blocks.0.attn.qkv blocks.1.attn.qkv blocks.1.mlp.fc1",
        "parity_dinov3/swiglu_timm, blocks.0.attn.qkv blocks.1.mlp.fc1_g blocks.1.mlp.fc1_x"
    })
    void anAdapterEqualsItsHandMergedWeights(String fixture, String modules) throws IOException {
        Path model = Path.of("src/test/resources").resolve(fixture);
        Map<String, FloatArray> base = CheckpointErrorsTest.tensorsOf(model.resolve("model/model.safetensors"));
        Map<String, FloatArray> lora = new LinkedHashMap<>();
        Random random = new Random(5);
        for (String module : modules.split(" ")) {
            FloatArray w = base.get(module + ".weight");
            int out = (int) w.shape()[0];
            int in = (int) w.shape()[1];
            float[] a = gaussian(random, R * in, 0.3);
            float[] b = gaussian(random, out * R, 0.3);
            lora.put("base_model.model." + module + ".lora_A.weight", new FloatArray(new long[] {R, in}, a));
            lora.put("base_model.model." + module + ".lora_B.weight", new FloatArray(new long[] {out, R}, b));
            float[] merged = w.data().clone();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double sum = 0;
                    for (int k = 0; k < R; k++) {
                        sum += b[o * R + k] * a[k * in + i];
                    }
                    merged[o * in + i] += (float) (ALPHA / R * sum);
                }
            }
            base.put(module + ".weight", new FloatArray(w.shape(), merged));
        }
        Path adapter = writeAdapter(lora);
        Path mergedModel = dir.resolve("merged");
        Files.createDirectories(mergedModel);
        Files.copy(model.resolve("model/config.json"), mergedModel.resolve("config.json"));
        SafetensorsWriter.write(mergedModel.resolve("model.safetensors"), base, Map.of());

        FloatArray pixels = Npy.readFloats(model.resolve("pixels.npy"));
        try (Backbone adapted = ModelLoader.load(model.resolve("model"), adapter, null, Precision.FP32, ComputeDevice.CPU);
                Backbone merged = ModelLoader.load(mergedModel, null, Precision.FP32, ComputeDevice.CPU);
                Backbone plain = ModelLoader.load(model.resolve("model"), null, Precision.FP32, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            float[] a = Tensors.toFloats(adapted.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
            float[] m = Tensors.toFloats(merged.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
            float[] p = Tensors.toFloats(plain.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
            double diff = 0;
            double change = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - m[i]));
                change = Math.max(change, Math.abs(a[i] - p[i]));
            }
            assertTrue(diff < 1e-5, "adapter vs hand-merged: " + diff);
            assertTrue(change > 1e-2, "the adapter must change the features: " + change);
        }
    }

    @Test
    void aDreamSimAdapterIsReadOneBackboneAtATime() throws IOException {
        Map<String, FloatArray> ensemble = new LinkedHashMap<>();
        Map<String, FloatArray> second = new LinkedHashMap<>();
        Random random = new Random(9);
        for (int member = 0; member < 2; member++) {
            for (int block = 0; block < 2; block++) {
                String module = "blocks." + block + ".attn.qkv";
                FloatArray a = new FloatArray(new long[] {R, 64}, gaussian(random, R * 64, 0.3));
                FloatArray b = new FloatArray(new long[] {192, R}, gaussian(random, 192 * R, 0.3));
                String prefix = "base_model.model.extractor_list." + member + ".model.";
                ensemble.put(prefix + module + ".lora_A.weight", a);
                ensemble.put(prefix + module + ".lora_B.weight", b);
                if (member == 1) {
                    second.put("base_model.model." + module + ".lora_A.weight", a);
                    second.put("base_model.model." + module + ".lora_B.weight", b);
                }
            }
        }
        Path both = writeAdapter(ensemble);
        Path alone = writeAdapter(second);

        FloatArray pixels = Npy.readFloats(DINO.resolve("pixels.npy"));
        try (Backbone member1 = ModelLoader.load(Checkpoint.open(DINO.resolve("model")), LoraAdapter.read(both, 1), null, Precision.FP32,
                        ComputeDevice.CPU);
                Backbone member0 = ModelLoader.load(Checkpoint.open(DINO.resolve("model")), LoraAdapter.read(both, 0), null, Precision.FP32,
                        ComputeDevice.CPU);
                Backbone single = ModelLoader.load(DINO.resolve("model"), alone, null, Precision.FP32, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            float[] one = Tensors.toFloats(member1.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
            float[] zero = Tensors.toFloats(member0.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
            float[] s = Tensors.toFloats(single.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
            double same = 0;
            double other = 0;
            for (int i = 0; i < one.length; i++) {
                same = Math.max(same, Math.abs(one[i] - s[i]));
                other = Math.max(other, Math.abs(one[i] - zero[i]));
            }
            assertTrue(same == 0, "member 1 of the ensemble adapter vs the same modules alone: " + same);
            assertTrue(other > 1e-2, "members 0 and 1 must differ: " + other);
        }
        assertTrue(error(both).contains("adapts the 2 backbones of a DreamSim ensemble (extractor_list [0, 1])"),
                error(both));
        assertTrue(assertThrows(PerceptException.class, () -> LoraAdapter.read(both, 2)).getMessage()
                .contains("holds no LoRA weights for DreamSim backbone 2 (extractor_list.2)"));
    }

    @Test
    void malformedAdaptersAreRefusedNamingTheProblem() throws IOException {
        Path noConfig = dir.resolve("empty");
        Files.createDirectories(noConfig);
        assertTrue(error(noConfig).contains("adapter_config.json"));

        Map<String, FloatArray> onlyA = new LinkedHashMap<>();
        onlyA.put("base_model.model.blocks.0.attn.qkv.lora_A.weight", new FloatArray(new long[] {R, 64}, new float[R * 64]));
        assertTrue(error(writeAdapter(onlyA)).contains("blocks.0.attn.qkv has lora_A but no lora_B"));

        Map<String, FloatArray> wrongShape = new LinkedHashMap<>(onlyA);
        wrongShape.put("base_model.model.blocks.0.attn.qkv.lora_B.weight", new FloatArray(new long[] {100, R}, new float[100 * R]));
        assertTrue(error(writeAdapter(wrongShape)).contains("blocks.0.attn.qkv is [100, 64] in the adapter but [192, 64] in the model"));

        Map<String, FloatArray> unknown = new LinkedHashMap<>();
        unknown.put("base_model.model.head.lora_A.weight", new FloatArray(new long[] {R, 64}, new float[R * 64]));
        assertTrue(error(writeAdapter(unknown)).contains("are not LoRA A/B weights"));
    }

    private String error(Path adapter) {
        return assertThrows(PerceptException.class,
                () -> ModelLoader.load(DINO.resolve("model"), adapter, null, Precision.FP32, ComputeDevice.CPU)).getMessage();
    }

    private Path writeAdapter(Map<String, FloatArray> tensors) throws IOException {
        Path adapter = Files.createTempDirectory(dir, "adapter");
        Files.writeString(adapter.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": " + R
                + ", \"lora_alpha\": " + ALPHA + ", \"lora_dropout\": 0.2, \"target_modules\": [\"qkv\"], \"bias\": \"none\"}");
        SafetensorsWriter.write(adapter.resolve("adapter_model.safetensors"), tensors, Map.of());
        return adapter;
    }

    private static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }
}
