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

/**
 * Hugging Face CLIP folders: full {@code clip} models (only the vision tower is used) and {@code
 * clip_vision_model} ones, e.g. openai/clip-vit-base-patch16.
 */
final class HfClipLayout implements Layout {
    private static final String FILE = "config.json";

    @Override
    public String name() {
        return "hf-clip";
    }

    @Override
    public boolean matches(Checkpoint c) {
        JsonNode config = c.json(FILE);
        String type = config == null ? "" : config.path("model_type").asText();
        return type.equals("clip") || type.equals("clip_vision_model");
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        JsonNode root = c.json(FILE);
        String file = c.folder().resolve(FILE).toString();
        JsonNode cfg = root.path("model_type").asText().equals("clip") ? root.get("vision_config") : root;
        // Defaults are transformers' CLIPVisionConfig defaults (ViT-B/32).
        int d = Configs.intValue(cfg, "hidden_size", 768, file);
        int layers = Configs.intValue(cfg, "num_hidden_layers", 12, file);
        int heads = Configs.intValue(cfg, "num_attention_heads", 12, file);
        int mlp = Configs.intValue(cfg, "intermediate_size", 3072, file);
        int patch = Configs.intValue(cfg, "patch_size", 32, file);
        int grid = Configs.intValue(cfg, "image_size", 224, file) / patch;
        boolean projected = c.has("visual_projection.weight");
        int projection = projected ? (int) c.shape("visual_projection.weight")[0] : 0;
        VitConfig config = new VitConfig(
                d, layers, heads, mlp, patch, grid, 0,
                Configs.doubleValue(cfg, "layer_norm_eps", 1e-5, file),
                activationOverride != null ? activationOverride : Configs.activation(cfg, "hidden_act", Activation.QUICK_GELU, file),
                FeedForward.PLAIN, EnumSet.of(Part.PRE_NORM, Part.QKV_BIAS), projection, new Learned(PosEmbedResize.TO_SIZE));

        String v = "vision_model.";
        String e = v + "embeddings.";
        KeyMap keys = new KeyMap()
                .reshape("cls_token", e + "class_embedding", shape(d), 1, 1, d)
                .reshape("pos_embed", e + "position_embedding.weight", shape(1 + (long) grid * grid, d), 1, 1 + (long) grid * grid, d)
                .copy("patch_embed.proj.weight", e + "patch_embedding.weight", d, 3, patch, patch)
                .copy("norm_pre.weight", v + "pre_layrnorm.weight", d)
                .copy("norm_pre.bias", v + "pre_layrnorm.bias", d)
                .copy("norm.weight", v + "post_layernorm.weight", d)
                .copy("norm.bias", v + "post_layernorm.bias", d)
                .ignore(k -> !k.startsWith(v) && !k.startsWith("visual_projection."))
                .ignore(k -> k.equals(e + "position_ids"));
        if (projected) {
            keys.copy("head.weight", "visual_projection.weight", projection, d);
        }
        for (int i = 0; i < layers; i++) {
            String src = v + "encoder.layers." + i + ".";
            String dst = "blocks." + i + ".";
            String att = src + "self_attn.";
            keys.fuseQkv(dst, att, "q_proj", "k_proj", "v_proj", d, true)
                    .copy(dst + "norm1.weight", src + "layer_norm1.weight", d)
                    .copy(dst + "norm1.bias", src + "layer_norm1.bias", d)
                    .copy(dst + "attn.proj.weight", att + "out_proj.weight", d, d)
                    .copy(dst + "attn.proj.bias", att + "out_proj.bias", d)
                    .copy(dst + "norm2.weight", src + "layer_norm2.weight", d)
                    .copy(dst + "norm2.bias", src + "layer_norm2.bias", d)
                    .copy(dst + "mlp.fc1.weight", src + "mlp.fc1.weight", mlp, d)
                    .copy(dst + "mlp.fc1.bias", src + "mlp.fc1.bias", mlp)
                    .copy(dst + "mlp.fc2.weight", src + "mlp.fc2.weight", d, mlp)
                    .copy(dst + "mlp.fc2.bias", src + "mlp.fc2.bias", d);
        }
        return new Plan(name(), config, keys, CLIP_MEAN, CLIP_STD);
    }
}
