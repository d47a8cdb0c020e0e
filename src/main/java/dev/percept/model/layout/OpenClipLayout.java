package dev.percept.model.layout;

import static dev.percept.model.layout.Configs.shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Learned;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.PosEmbedResize;
import dev.percept.model.VitConfig;
import java.util.EnumSet;
import java.util.Locale;

/**
 * open_clip checkpoints ({@code visual.*} keys, OpenAI's CLIP layout), optionally with an {@code
 * open_clip_config.json} as on the Hugging Face Hub. The weights don't record the activation:
 * QuickGELU for OpenAI and LAION-400M weights, GELU for LAION-2B; it comes from the override
 * (known model names), the config's {@code quick_gelu}, or "quickgelu" in the folder name.
 */
final class OpenClipLayout implements Layout {
    private static final String FILE = "open_clip_config.json";

    @Override
    public String name() {
        return "open_clip";
    }

    @Override
    public boolean matches(Checkpoint c) {
        return c.has("visual.conv1.weight");
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        JsonNode root = c.json(FILE);
        String file = c.folder().resolve(FILE).toString();
        JsonNode modelCfg = root == null ? null : root.get("model_cfg");
        JsonNode vision = modelCfg == null ? null : modelCfg.get("vision_cfg");
        String v = "visual.";
        long[] conv = c.shape(v + "conv1.weight");
        int d = (int) conv[0];
        int patch = (int) conv[2];
        int layers = Configs.countBlocks(c, v + "transformer.resblocks.", ".ln_1.weight");
        int heads = d / Configs.intValue(vision, "head_width", 64, file);
        int mlp = (int) c.shape(v + "transformer.resblocks.0.mlp.c_fc.weight")[0];
        long positions = c.shape(v + "positional_embedding")[0] - 1;
        int grid = Configs.squareGrid(positions, c.describe() + " visual.positional_embedding");
        int projection = c.has(v + "proj") ? (int) c.shape(v + "proj")[1] : 0;
        boolean layerScale = c.has(v + "transformer.resblocks.0.ls_1.gamma");
        Activation activation = activationOverride != null
                ? activationOverride
                : Configs.boolValue(modelCfg, "quick_gelu", false)
                                || c.folder().getFileName().toString().toLowerCase(Locale.ROOT).contains("quickgelu")
                        ? Activation.QUICK_GELU
                        : Activation.GELU;
        VitConfig config = new VitConfig(
                d, layers, heads, mlp, patch, grid, 0, 1e-5, activation,
                FeedForward.PLAIN,
                layerScale ? EnumSet.of(Part.PRE_NORM, Part.LAYER_SCALE, Part.QKV_BIAS) : EnumSet.of(Part.PRE_NORM, Part.QKV_BIAS),
                projection, new Learned(PosEmbedResize.TO_SIZE));

        KeyMap keys = new KeyMap()
                .reshape("cls_token", v + "class_embedding", shape(d), 1, 1, d)
                .reshape("pos_embed", v + "positional_embedding", shape(1 + positions, d), 1, 1 + positions, d)
                .copy("patch_embed.proj.weight", v + "conv1.weight", d, 3, patch, patch)
                .copy("norm_pre.weight", v + "ln_pre.weight", d)
                .copy("norm_pre.bias", v + "ln_pre.bias", d)
                .copy("norm.weight", v + "ln_post.weight", d)
                .copy("norm.bias", v + "ln_post.bias", d)
                .ignore(k -> !k.startsWith(v));
        if (projection > 0) {
            keys.transpose("head.weight", v + "proj", d, projection);
        }
        for (int i = 0; i < layers; i++) {
            String src = v + "transformer.resblocks." + i + ".";
            String dst = "blocks." + i + ".";
            keys.copy(dst + "attn.qkv.weight", src + "attn.in_proj_weight", 3L * d, d)
                    .copy(dst + "attn.qkv.bias", src + "attn.in_proj_bias", 3L * d)
                    .copy(dst + "norm1.weight", src + "ln_1.weight", d)
                    .copy(dst + "norm1.bias", src + "ln_1.bias", d)
                    .copy(dst + "attn.proj.weight", src + "attn.out_proj.weight", d, d)
                    .copy(dst + "attn.proj.bias", src + "attn.out_proj.bias", d)
                    .copy(dst + "norm2.weight", src + "ln_2.weight", d)
                    .copy(dst + "norm2.bias", src + "ln_2.bias", d)
                    .copy(dst + "mlp.fc1.weight", src + "mlp.c_fc.weight", mlp, d)
                    .copy(dst + "mlp.fc1.bias", src + "mlp.c_fc.bias", mlp)
                    .copy(dst + "mlp.fc2.weight", src + "mlp.c_proj.weight", d, mlp)
                    .copy(dst + "mlp.fc2.bias", src + "mlp.c_proj.bias", d);
            if (layerScale) {
                keys.copy(dst + "ls1.gamma", src + "ls_1.gamma", d).copy(dst + "ls2.gamma", src + "ls_2.gamma", d);
            }
        }
        JsonNode pre = root == null ? null : root.get("preprocess_cfg");
        return new Plan(name(), config, keys,
                Configs.triple(pre, "mean", CLIP_MEAN, file), Configs.triple(pre, "std", CLIP_STD, file));
    }
}
