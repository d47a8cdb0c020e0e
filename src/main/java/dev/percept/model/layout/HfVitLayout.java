package dev.percept.model.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Learned;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.PosEmbedResize;
import dev.percept.model.VitConfig;
import java.util.EnumSet;

/** Hugging Face {@code ViTModel} folders ({@code model_type: vit}), e.g. facebook/dino-vitb16. */
final class HfVitLayout implements Layout {
    private static final String FILE = "config.json";

    @Override
    public String name() {
        return "hf-vit";
    }

    @Override
    public boolean matches(Checkpoint c) {
        JsonNode config = c.json(FILE);
        return config != null && "vit".equals(config.path("model_type").asText());
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        JsonNode cfg = c.json(FILE);
        String file = c.folder().resolve(FILE).toString();
        // Task models (ViTForImageClassification) nest the backbone under "vit.".
        String p = c.has("vit.embeddings.cls_token") ? "vit." : "";
        int d = Configs.requiredInt(cfg, "hidden_size", file);
        int layers = Configs.requiredInt(cfg, "num_hidden_layers", file);
        int mlp = Configs.intValue(cfg, "intermediate_size", 4 * d, file);
        int patch = Configs.intValue(cfg, "patch_size", 16, file);
        int grid = Configs.intValue(cfg, "image_size", 224, file) / patch;
        boolean qkvBias = Configs.boolValue(cfg, "qkv_bias", true);
        VitConfig config = new VitConfig(
                d, layers, Configs.requiredInt(cfg, "num_attention_heads", file), mlp, patch, grid, 0,
                Configs.doubleValue(cfg, "layer_norm_eps", 1e-12, file),
                activationOverride != null ? activationOverride : Configs.activation(cfg, "hidden_act", Activation.GELU, file),
                FeedForward.PLAIN, qkvBias ? EnumSet.of(Part.QKV_BIAS, Part.PATCH_BIAS) : EnumSet.of(Part.PATCH_BIAS),
                0, new Learned(PosEmbedResize.TO_SIZE));

        KeyMap keys = new KeyMap()
                .copy("cls_token", p + "embeddings.cls_token", 1, 1, d)
                .copy("pos_embed", p + "embeddings.position_embeddings", 1, 1 + (long) grid * grid, d)
                .copy("patch_embed.proj.weight", p + "embeddings.patch_embeddings.projection.weight", d, 3, patch, patch)
                .copy("patch_embed.proj.bias", p + "embeddings.patch_embeddings.projection.bias", d)
                .copy("norm.weight", p + "layernorm.weight", d)
                .copy("norm.bias", p + "layernorm.bias", d)
                .ignore(k -> k.startsWith(p + "pooler.") || k.startsWith("classifier.") || k.equals(p + "embeddings.mask_token"));
        for (int i = 0; i < layers; i++) {
            String src = p + "encoder.layer." + i + ".";
            String dst = "blocks." + i + ".";
            String att = src + "attention.attention.";
            keys.fuseQkv(dst, att, "query", "key", "value", d, qkvBias)
                    .copy(dst + "norm1.weight", src + "layernorm_before.weight", d)
                    .copy(dst + "norm1.bias", src + "layernorm_before.bias", d)
                    .copy(dst + "attn.proj.weight", src + "attention.output.dense.weight", d, d)
                    .copy(dst + "attn.proj.bias", src + "attention.output.dense.bias", d)
                    .copy(dst + "norm2.weight", src + "layernorm_after.weight", d)
                    .copy(dst + "norm2.bias", src + "layernorm_after.bias", d)
                    .copy(dst + "mlp.fc1.weight", src + "intermediate.dense.weight", mlp, d)
                    .copy(dst + "mlp.fc1.bias", src + "intermediate.dense.bias", mlp)
                    .copy(dst + "mlp.fc2.weight", src + "output.dense.weight", d, mlp)
                    .copy(dst + "mlp.fc2.bias", src + "output.dense.bias", d);
        }
        return new Plan(name(), config, keys, IMAGENET_MEAN, IMAGENET_STD);
    }
}
