package dev.percept.model;

import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Part;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Tensors;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Random canonical weights for a {@link VitConfig}: a stand-in of the right size for benchmarks,
 * where speed does not depend on the values. Seeded, so runs are repeatable.
 */
public final class RandomWeights {
    private RandomWeights() {}

    /** ViT-B/16 at 224 px, DINO-style (GELU, eps 1e-6, no projection). */
    public static VitConfig vitB16() {
        return new VitConfig(768, 12, 12, 3072, 16, 14, 0, 1e-6, VitConfig.Activation.GELU,
                VitConfig.FeedForward.PLAIN, EnumSet.of(Part.QKV_BIAS, Part.PATCH_BIAS), 0,
                new VitConfig.Learned(VitConfig.PosEmbedResize.SCALE_WITH_OFFSET));
    }

    /** Canonical name to float32 CPU tensor. */
    public static Map<String, Tensor> of(VitConfig c, long seed) {
        Tensors.seed(seed);
        long d = c.hidden();
        long mlp = c.mlpHidden();
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("patch_embed.proj.weight", normal(0.02, d, 3, c.patch(), c.patch()));
        if (c.has(Part.PATCH_BIAS)) {
            w.put("patch_embed.proj.bias", normal(0.02, d));
        }
        w.put("cls_token", normal(0.02, 1, 1, d));
        if (c.positions() instanceof VitConfig.Learned) {
            w.put("pos_embed", normal(0.02, 1, 1 + (long) c.grid() * c.grid(), d));
        }
        if (c.registers() > 0) {
            w.put("reg_token", normal(0.02, 1, c.registers(), d));
        }
        if (c.has(Part.PRE_NORM)) {
            layerNorm(w, "norm_pre", d);
        }
        for (int i = 0; i < c.layers(); i++) {
            String b = "blocks." + i + ".";
            layerNorm(w, b + "norm1", d);
            w.put(b + "attn.qkv.weight", normal(0.02, 3 * d, d));
            if (c.has(Part.QKV_BIAS)) {
                w.put(b + "attn.qkv.bias", normal(0.02, 3 * d));
            }
            w.put(b + "attn.proj.weight", normal(0.02, d, d));
            w.put(b + "attn.proj.bias", normal(0.02, d));
            layerNorm(w, b + "norm2", d);
            for (String fc1 : c.feedForward() == FeedForward.GATED ? new String[] {"mlp.fc1_g.", "mlp.fc1_x."} : new String[] {"mlp.fc1."}) {
                w.put(b + fc1 + "weight", normal(0.02, mlp, d));
                w.put(b + fc1 + "bias", normal(0.02, mlp));
            }
            w.put(b + "mlp.fc2.weight", normal(0.02, d, mlp));
            w.put(b + "mlp.fc2.bias", normal(0.02, d));
            if (c.has(Part.LAYER_SCALE)) {
                w.put(b + "ls1.gamma", normal(0.1, d));
                w.put(b + "ls2.gamma", normal(0.1, d));
            }
        }
        layerNorm(w, "norm", d);
        if (c.hasProjection()) {
            w.put("head.weight", normal(0.02, c.projectionDim(), d));
        }
        return w;
    }

    private static void layerNorm(Map<String, Tensor> w, String prefix, long d) {
        w.put(prefix + ".weight", Placement.CPU.normal(1.0, 0.02, d));
        w.put(prefix + ".bias", normal(0.02, d));
    }

    private static Tensor normal(double std, long... shape) {
        return Placement.CPU.normal(0, std, shape);
    }
}
