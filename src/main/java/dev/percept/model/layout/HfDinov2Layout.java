package dev.percept.model.layout;

import static dev.percept.model.layout.Configs.shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Learned;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.PosEmbedResize;
import dev.percept.model.VitConfig;
import java.util.EnumSet;

/**
 * Hugging Face {@code Dinov2Model} and {@code Dinov2WithRegistersModel} folders, e.g.
 * facebook/dinov2-base.
 */
final class HfDinov2Layout implements Layout {
    private static final String FILE = "config.json";

    @Override
    public String name() {
        return "hf-dinov2";
    }

    @Override
    public boolean matches(Checkpoint c) {
        JsonNode config = c.json(FILE);
        String type = config == null ? "" : config.path("model_type").asText();
        return type.equals("dinov2") || type.equals("dinov2_with_registers");
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        JsonNode cfg = c.json(FILE);
        String file = c.folder().resolve(FILE).toString();
        if (Configs.boolValue(cfg, "use_swiglu_ffn", false)) {
            throw new PerceptException(file + ": use_swiglu_ffn (the ViT-g MLP) is not supported");
        }
        String p = c.has("dinov2.embeddings.cls_token") ? "dinov2." : "";
        int d = Configs.requiredInt(cfg, "hidden_size", file);
        int layers = Configs.requiredInt(cfg, "num_hidden_layers", file);
        int mlp = (int) Math.round(d * Configs.doubleValue(cfg, "mlp_ratio", 4.0, file));
        int patch = Configs.intValue(cfg, "patch_size", 14, file);
        int registers = Configs.intValue(cfg, "num_register_tokens", 0, file);
        long positions = c.shape(p + "embeddings.position_embeddings")[1] - 1;
        int grid = Configs.squareGrid(positions, file);
        boolean qkvBias = Configs.boolValue(cfg, "qkv_bias", true);
        VitConfig config = new VitConfig(
                d, layers, Configs.requiredInt(cfg, "num_attention_heads", file), mlp, patch, grid, registers,
                Configs.doubleValue(cfg, "layer_norm_eps", 1e-6, file),
                activationOverride != null ? activationOverride : Configs.activation(cfg, "hidden_act", Activation.GELU, file),
                FeedForward.PLAIN,
                qkvBias ? EnumSet.of(Part.LAYER_SCALE, Part.QKV_BIAS, Part.PATCH_BIAS) : EnumSet.of(Part.LAYER_SCALE, Part.PATCH_BIAS),
                0, new Learned(PosEmbedResize.TO_SIZE));

        String e = p + "embeddings.";
        KeyMap keys = new KeyMap()
                .copy("cls_token", e + "cls_token", 1, 1, d)
                .copy("pos_embed", e + "position_embeddings", 1, 1 + positions, d)
                .copy("patch_embed.proj.weight", e + "patch_embeddings.projection.weight", d, 3, patch, patch)
                .copy("patch_embed.proj.bias", e + "patch_embeddings.projection.bias", d)
                .copy("norm.weight", p + "layernorm.weight", d)
                .copy("norm.bias", p + "layernorm.bias", d)
                .ignore(k -> k.equals(e + "mask_token") || k.startsWith("classifier."));
        if (registers > 0) {
            keys.copy("reg_token", e + "register_tokens", 1, registers, d);
        }
        for (int i = 0; i < layers; i++) {
            String src = p + "encoder.layer." + i + ".";
            String dst = "blocks." + i + ".";
            String att = src + "attention.attention.";
            keys.fuseQkv(dst, att, "query", "key", "value", d, qkvBias)
                    .copy(dst + "norm1.weight", src + "norm1.weight", d)
                    .copy(dst + "norm1.bias", src + "norm1.bias", d)
                    .copy(dst + "attn.proj.weight", src + "attention.output.dense.weight", d, d)
                    .copy(dst + "attn.proj.bias", src + "attention.output.dense.bias", d)
                    .copy(dst + "ls1.gamma", src + "layer_scale1.lambda1", d)
                    .copy(dst + "norm2.weight", src + "norm2.weight", d)
                    .copy(dst + "norm2.bias", src + "norm2.bias", d)
                    .copy(dst + "mlp.fc1.weight", src + "mlp.fc1.weight", mlp, d)
                    .copy(dst + "mlp.fc1.bias", src + "mlp.fc1.bias", mlp)
                    .copy(dst + "mlp.fc2.weight", src + "mlp.fc2.weight", d, mlp)
                    .copy(dst + "mlp.fc2.bias", src + "mlp.fc2.bias", d)
                    .copy(dst + "ls2.gamma", src + "layer_scale2.lambda1", d);
        }
        return new Plan(name(), config, keys, IMAGENET_MEAN, IMAGENET_STD);
    }
}
