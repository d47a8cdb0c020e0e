package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.io.SafetensorsWriter;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken checkpoint is refused with one message that names every problem. */
class CheckpointErrorsTest {
    static final Path DINO = ParityTest.FIXTURES.resolve("dino_timm/model");

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    @Test
    void reportsMissingUnexpectedAndMisshapedKeysTogether() throws IOException {
        Map<String, FloatArray> tensors = tensorsOf(DINO.resolve("model.safetensors"));
        tensors.remove("blocks.1.mlp.fc2.bias");
        tensors.put("blocks.0.attn.extra.weight", new FloatArray(new long[] {2}, new float[2]));
        tensors.put("blocks.1.norm2.weight", new FloatArray(new long[] {3}, new float[3]));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());

        String message = loadError(dir);
        assertTrue(message.contains("1 missing keys:\n    blocks.1.mlp.fc2.bias"), message);
        assertTrue(message.contains("1 unexpected keys:\n    blocks.0.attn.extra.weight"), message);
        assertTrue(message.contains("blocks.1.norm2.weight has shape [3], expected [64]"), message);
        assertTrue(message.contains(dir.resolve("model.safetensors").toString()), message);
    }

    @Test
    void refusesAPytorchFileThatIsNeitherFormat() throws IOException {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        String message = loadError(dir);
        assertTrue(message.contains("pytorch_model.bin: not a PyTorch checkpoint"), message);
    }

    @Test
    void refusesAFolderWithoutWeights() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        String message = loadError(dir);
        assertTrue(message.contains("has no weights (.safetensors, .pth, .pth.tar, .pt, .bin)"), message);
    }

    @Test
    void namesTheLayoutsItLooksFor() {
        SafetensorsWriter.write(dir.resolve("model.safetensors"),
                Map.of("encoder.weight", new FloatArray(new long[] {2}, new float[2])), Map.of());
        String message = loadError(dir);
        assertTrue(message.contains("unrecognised checkpoint layout") && message.contains("encoder.weight"), message);
    }

    @Test
    void refusesAMissingFolder() {
        String message = loadError(dir.resolve("nope"));
        assertTrue(message.contains("does not exist"), message);
    }

    @Test
    void refusesAConfigWithABadValue() throws IOException {
        Path model = dir.resolve("vit");
        Files.createDirectories(model);
        Path source = ParityTest.FIXTURES.resolve("vit_hf/model");
        Files.copy(source.resolve("model.safetensors"), model.resolve("model.safetensors"));
        String config = Files.readString(source.resolve("config.json")).replace("\"gelu\"", "\"swish\"");
        Files.writeString(model.resolve("config.json"), config);
        String message = loadError(model);
        assertTrue(message.contains("config.json") && message.contains("hidden_act 'swish'"), message);
    }

    @Test
    void aDinov3HubFileWithoutItsBiasMaskOrWithOddPeriodsIsRefused() throws IOException {
        Map<String, FloatArray> tensors = tensorsOf(ParityTest.DINOV3_FIXTURES.resolve("plain_hub/model/model.safetensors"));
        tensors.remove("blocks.1.attn.qkv.bias_mask");
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        String message = loadError(dir);
        assertTrue(message.contains("1 missing keys:\n    blocks.1.attn.qkv.bias_mask"), message);

        tensors.put("rope_embed.periods", new FloatArray(new long[] {3}, new float[] {1, 2, 3}));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        message = loadError(dir);
        assertTrue(message.contains("rope_embed.periods has 3 entries, which does not divide the width 64"), message);
    }

    private static String loadError(Path folder) {
        return assertThrows(PerceptException.class,
                () -> ModelLoader.load(folder, null, Precision.FP32, ComputeDevice.CPU)).getMessage();
    }

    static Map<String, FloatArray> tensorsOf(Path file) {
        Map<String, FloatArray> out = new LinkedHashMap<>();
        for (SafetensorsTensor t : Safetensors.read(file).tensors()) {
            out.put(t.name(), t.toFloatArray());
        }
        return out;
    }
}
