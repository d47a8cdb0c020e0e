package dev.percept.eval;

import dev.percept.io.FloatArray;
import dev.percept.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** An MLP head (the layout `percept align --train mlp_head` writes) on the cls feature of the tiny 64-wide test ViTs. */
public final class TinyHead {
    private TinyHead() {}

    /** Weights are {@code scale} times fixed sines, so that two scales give two different heads. */
    public static Path write(Path dir, float scale) throws IOException {
        int dim = 64;
        int hidden = 8;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("head_config.json"),
                "{\"type\": \"mlp\", \"features\": \"cls\", \"in_features\": 64, \"hidden\": 8, \"activation\": \"relu\", \"residual\": true}");
        Map<String, FloatArray> t = new LinkedHashMap<>();
        t.put("fc1.weight", new FloatArray(new long[] {hidden, dim}, values(hidden * dim, scale, 1)));
        t.put("fc1.bias", new FloatArray(new long[] {hidden}, values(hidden, scale, 2)));
        t.put("fc2.weight", new FloatArray(new long[] {dim, hidden}, values(dim * hidden, scale, 3)));
        t.put("fc2.bias", new FloatArray(new long[] {dim}, values(dim, scale, 4)));
        SafetensorsWriter.write(dir.resolve("head.safetensors"), t, Map.of("format", "pt"));
        return dir;
    }

    private static float[] values(int n, float scale, int phase) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (float) Math.sin(0.7 * i + phase);
        }
        return v;
    }
}
