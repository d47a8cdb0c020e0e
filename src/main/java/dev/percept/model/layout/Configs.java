package dev.percept.model.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig.Activation;
import java.util.Locale;

/** Reading typed values out of upstream JSON configs, with errors that name the file and key. */
public final class Configs {
    private Configs() {}

    static int intValue(JsonNode node, String key, int fallback, String file) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt()) {
            throw new PerceptException(file + ": key " + key + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    static int requiredInt(JsonNode node, String key, String file) {
        int v = intValue(node, key, Integer.MIN_VALUE, file);
        if (v == Integer.MIN_VALUE) {
            throw new PerceptException(file + ": required key " + key + " is missing");
        }
        return v;
    }

    static double doubleValue(JsonNode node, String key, double fallback, String file) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new PerceptException(file + ": key " + key + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    static boolean boolValue(JsonNode node, String key, boolean fallback) {
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    /** Three per-channel floats, or the fallback if absent. */
    public static float[] triple(JsonNode node, String key, float[] fallback, String file) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isArray() || v.size() != 3) {
            throw new PerceptException(file + ": key " + key + " must be a list of 3 numbers, got " + v);
        }
        return new float[] {(float) v.get(0).asDouble(), (float) v.get(1).asDouble(), (float) v.get(2).asDouble()};
    }

    /** A Hugging Face {@code hidden_act}: "gelu", "quick_gelu" or "silu". */
    static Activation activation(JsonNode node, String key, Activation fallback, String file) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        return switch (v.asText().toLowerCase(Locale.ROOT)) {
            case "gelu" -> Activation.GELU;
            case "quick_gelu" -> Activation.QUICK_GELU;
            case "silu" -> Activation.SILU;
            default -> throw new PerceptException(file + ": " + key + " '" + v.asText()
                    + "' is not supported (gelu, quick_gelu or silu)");
        };
    }

    /** The number of blocks: the count of indices i for which {@code prefix + i + suffix} exists. */
    static int countBlocks(Checkpoint c, String prefix, String suffix) {
        int n = 0;
        while (c.has(prefix + n + suffix)) {
            n++;
        }
        return n;
    }

    /** Side of the square grid behind {@code positions} patch positions. */
    static int squareGrid(long positions, String what) {
        int m = (int) Math.round(Math.sqrt(positions));
        if ((long) m * m != positions) {
            throw new PerceptException(what + ": " + positions + " patch positions do not form a square grid");
        }
        return m;
    }

    static long[] shape(long... dims) {
        return dims;
    }
}
