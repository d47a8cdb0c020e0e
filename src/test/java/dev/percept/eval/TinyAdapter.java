package dev.percept.eval;

import dev.percept.io.FloatArray;
import dev.percept.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A rank-1 PEFT LoRA adapter on block 0's qkv of the tiny 64-wide test ViTs, every weight {@code value}. */
public final class TinyAdapter {
    private TinyAdapter() {}

    public static Path write(Path dir, float value) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 1, \"lora_alpha\": 1, \"target_modules\": [\"qkv\"]}");
        float[] a = new float[64];
        float[] b = new float[192];
        java.util.Arrays.fill(a, value);
        java.util.Arrays.fill(b, value);
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), Map.of(
                "base_model.model.blocks.0.attn.qkv.lora_A.weight", new FloatArray(new long[] {1, 64}, a),
                "base_model.model.blocks.0.attn.qkv.lora_B.weight", new FloatArray(new long[] {192, 1}, b)), Map.of());
        return dir;
    }
}
