package dev.percept.model.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.Rotary;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;

/**
 * timm's DINOv3 ports ({@code vit_*_patch16_dinov3.lvd1689m}, timm's Eva model): {@code reg_token},
 * no position embedding, {@code gamma_1/gamma_2} LayerScale, a fused qkv without bias or (the
 * {@code _qkvb} variants) with separate {@code q_bias} and {@code v_bias}, and {@code mlp.fc1_g},
 * {@code fc1_x}, {@code fc2} in the SwiGLU models. The head count comes from the timm config's
 * {@code model_args.num_heads}, the architecture name, or D / 64.
 */
final class TimmDinov3Layout implements Layout {
    private static final String FILE = "config.json";
    private static final Map<String, Integer> HEADS_BY_SIZE = Map.of(
            "vit_small", 6, "vit_small_plus", 6, "vit_base", 12, "vit_large", 16, "vit_huge_plus", 20, "vit_7b", 32);

    @Override
    public String name() {
        return "timm-dinov3";
    }

    @Override
    public boolean matches(Checkpoint c) {
        return c.has("patch_embed.proj.weight") && c.has("blocks.0.gamma_1") && !c.has("pos_embed");
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        JsonNode cfg = c.json(FILE);
        String file = c.folder().resolve(FILE).toString();
        String arch = cfg == null ? "" : cfg.path("architecture").asText().toLowerCase(Locale.ROOT);
        long[] proj = c.shape("patch_embed.proj.weight");
        int d = (int) proj[0];
        int patch = (int) proj[2];
        int layers = Configs.countBlocks(c, "blocks.", ".norm1.weight");
        boolean gated = c.has("blocks.0.mlp.fc1_g.weight");
        int mlp = (int) c.shape(gated ? "blocks.0.mlp.fc1_g.weight" : "blocks.0.mlp.fc1.weight")[0];
        int registers = c.has("reg_token") ? (int) c.shape("reg_token")[1] : 0;
        boolean qkvBias = c.has("blocks.0.attn.q_bias");
        int sizeHeads = HEADS_BY_SIZE.getOrDefault(arch.replaceFirst("_patch\\d+.*$", ""), Math.max(1, d / 64));
        int heads = Configs.intValue(cfg == null ? null : cfg.get("model_args"), "num_heads", sizeHeads, file);
        EnumSet<Part> parts = EnumSet.of(Part.LAYER_SCALE, Part.PATCH_BIAS);
        if (qkvBias) {
            parts.add(Part.QKV_BIAS);
        }
        Activation activation = gated ? Activation.SILU : activationOverride != null ? activationOverride : Activation.GELU;
        VitConfig config = new VitConfig(d, layers, heads, mlp, patch, HubDinov3Layout.GRID, registers,
                HubDinov3Layout.EPS, activation, gated ? FeedForward.GATED : FeedForward.PLAIN, parts, 0,
                new Rotary(HubDinov3Layout.ROPE_THETA));

        KeyMap keys = new KeyMap()
                .copy("cls_token", "cls_token", 1, 1, d)
                .copy("patch_embed.proj.weight", "patch_embed.proj.weight", d, 3, patch, patch)
                .copy("patch_embed.proj.bias", "patch_embed.proj.bias", d)
                .copy("norm.weight", "norm.weight", d)
                .copy("norm.bias", "norm.bias", d)
                .ignore(k -> k.startsWith("head.") || k.startsWith("fc_norm."));
        if (registers > 0) {
            keys.copy("reg_token", "reg_token", 1, registers, d);
        }
        for (int i = 0; i < layers; i++) {
            String b = "blocks." + i + ".";
            keys.timmBlock(b, d)
                    .copy(b + "ls1.gamma", b + "gamma_1", d)
                    .copy(b + "ls2.gamma", b + "gamma_2", d);
            if (qkvBias) {
                keys.fuseQkvBias(b + "attn.qkv.bias", d, b + "attn.q_bias", null, b + "attn.v_bias");
            }
            if (gated) {
                Dinov3Mlp.gated(keys, b, b + "mlp.fc1_g", b + "mlp.fc1_x", b + "mlp.fc2", d, mlp);
            } else {
                Dinov3Mlp.plain(keys, b, b + "mlp.fc1", b + "mlp.fc2", d, mlp);
            }
        }
        JsonNode pretrained = cfg == null ? null : cfg.get("pretrained_cfg");
        return new Plan(name(), config, keys,
                Configs.triple(pretrained, "mean", IMAGENET_MEAN, file), Configs.triple(pretrained, "std", IMAGENET_STD, file));
    }
}
