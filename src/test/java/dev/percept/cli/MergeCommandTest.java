package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `percept merge` writes a folder of the model's own layout that equals model + adapter. */
class MergeCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dino_timm", "clip_hf", "open_clip", "dinov2_hf"})
    void theMergedFolderEmbedsLikeTheModelWithItsAdapter(String fixture) throws IOException {
        Path model = EmbedCommandTest.PARITY.resolve(fixture).resolve("model");
        Path adapter = adapter(dir.resolve("adapter"));
        Path merged = dir.resolve("merged");
        Cli merge = Cli.run("merge", "--model", model.toString(), "--adapter", adapter.toString(), "--out", merged.toString());
        assertEquals(0, merge.exitCode(), merge.err());

        Path images = EmbedCommandTest.IMAGES;
        Path withAdapter = dir.resolve("with-adapter.npy");
        Path fromMerged = dir.resolve("from-merged.npy");
        Path plain = dir.resolve("plain.npy");
        String image = images.resolve("jpeg_photo.jpg").toString();
        assertEquals(0, Cli.run("embed", "--model", model.toString(), "--adapter", adapter.toString(), "--precision", "fp32",
                "--out", withAdapter.toString(), image).exitCode());
        assertEquals(0, Cli.run("embed", "--model", merged.toString(), "--precision", "fp32",
                "--out", fromMerged.toString(), image).exitCode());
        assertEquals(0, Cli.run("embed", "--model", model.toString(), "--precision", "fp32",
                "--out", plain.toString(), image).exitCode());
        float[] a = Npy.readFloats(withAdapter).data();
        float[] m = Npy.readFloats(fromMerged).data();
        float[] p = Npy.readFloats(plain).data();
        double diff = 0;
        double change = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - m[i]));
            change = Math.max(change, Math.abs(a[i] - p[i]));
        }
        assertTrue(diff < 1e-5, fixture + ": merged folder vs model + adapter differ by " + diff);
        assertTrue(change > 1e-3, fixture + ": the adapter must matter, changed by " + change);
    }

    /** LoRA on block 0's qkv and block 1's fc2 of the 64-wide fixtures (r 2, alpha 8). */
    private static Path adapter(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("adapter_config.json"),
                "{\"peft_type\": \"LORA\", \"r\": 2, \"lora_alpha\": 8, \"target_modules\": [\"qkv\", \"fc2\"]}");
        Random random = new Random(11);
        Map<String, FloatArray> tensors = new LinkedHashMap<>();
        put(tensors, "blocks.0.attn.qkv", 192, 64, random);
        put(tensors, "blocks.1.mlp.fc2", 64, 256, random);
        SafetensorsWriter.write(folder.resolve("adapter_model.safetensors"), tensors, Map.of());
        return folder;
    }

    private static void put(Map<String, FloatArray> tensors, String module, int out, int in, Random random) {
        tensors.put("base_model.model." + module + ".lora_A.weight", new FloatArray(new long[] {2, in}, gaussian(random, 2 * in)));
        tensors.put("base_model.model." + module + ".lora_B.weight", new FloatArray(new long[] {out, 2}, gaussian(random, 2 * out)));
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.2 * random.nextGaussian());
        }
        return v;
    }
}
