package dev.percept.align;

import dev.percept.PerceptException;
import java.util.List;
import java.util.Map;

/**
 * Which projections get a LoRA branch and its shape. Targets use PEFT's module names as DreamSim
 * saves them ({@code qkv}, {@code proj}, {@code fc1}, {@code fc2}); every block is adapted.
 *
 * @param rank r
 * @param alpha lora_alpha; the update is scaled by alpha / r
 * @param dropout dropout on the branch's input while training
 */
public record LoraSpec(int rank, double alpha, double dropout, List<String> targets) {
    /** PEFT target name to the projection's canonical name within a block. */
    private static final Map<String, String> PROJECTION = Map.of(
            "qkv", "attn.qkv", "proj", "attn.proj", "fc1", "mlp.fc1", "fc2", "mlp.fc2");

    public LoraSpec {
        if (rank <= 0) {
            throw new PerceptException("--lora-r must be positive, got " + rank);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new PerceptException("--lora-dropout must be in [0, 1), got " + dropout);
        }
        if (targets.isEmpty()) {
            throw new PerceptException("--lora-targets names no projection");
        }
        for (String t : targets) {
            if (!PROJECTION.containsKey(t)) {
                throw new PerceptException("unknown LoRA target '" + t + "'; choose from qkv, proj, fc1, fc2");
            }
        }
        targets = List.copyOf(targets);
    }

    /** DreamSim's single-backbone recipe: r 16, alpha 32, dropout 0.2 on qkv. */
    public static LoraSpec singleDefault() {
        return new LoraSpec(16, 32, 0.2, List.of("qkv"));
    }

    /** DreamSim's ensemble recipe: r 16, alpha 8, dropout 0.3 on qkv. */
    public static LoraSpec ensembleDefault() {
        return new LoraSpec(16, 8, 0.3, List.of("qkv"));
    }

    public double scale() {
        return alpha / rank;
    }

    /** Whether a canonical module ({@code blocks.3.attn.qkv}) is one of the targets. */
    boolean targets(String module) {
        for (String t : targets) {
            if (module.endsWith("." + PROJECTION.get(t))) {
                return true;
            }
        }
        return false;
    }
}
