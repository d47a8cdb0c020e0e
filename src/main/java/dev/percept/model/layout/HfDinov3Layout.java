package dev.percept.model.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.Rotary;
import java.util.EnumSet;

/**
 * Hugging Face {@code DINOv3ViTModel} folders ({@code model_type: dinov3_vit}, e.g. the gated
 * facebook/dinov3-vitb16-pretrain-lvd1689m): separate q/k/v projections (no k_proj bias), {@code
 * o_proj}, {@code layer_scale1/2.lambda1}, and {@code mlp.up_proj/down_proj}, plus {@code
 * gate_proj} when {@code use_gated_mlp}. The {@code pos_embed_*} settings are training-time
 * augmentations and play no part here.
 */
final class HfDinov3Layout implements Layout {
    private static final String FILE = "config.json";

    @Override
    public String name() {
        return "hf-dinov3";
    }

    @Override
    public boolean matches(Checkpoint c) {
        JsonNode config = c.json(FILE);
        return config != null && "dinov3_vit".equals(config.path("model_type").asText());
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        JsonNode cfg = c.json(FILE);
        String file = c.folder().resolve(FILE).toString();
        int d = Configs.requiredInt(cfg, "hidden_size", file);
        int layers = Configs.requiredInt(cfg, "num_hidden_layers", file);
        int heads = Configs.requiredInt(cfg, "num_attention_heads", file);
        int mlp = Configs.requiredInt(cfg, "intermediate_size", file);
        int patch = Configs.intValue(cfg, "patch_size", 16, file);
        int registers = Configs.intValue(cfg, "num_register_tokens", 0, file);
        boolean gated = Configs.boolValue(cfg, "use_gated_mlp", false);
        for (String required : new String[] {"proj_bias", "mlp_bias"}) {
            if (!Configs.boolValue(cfg, required, true)) {
                throw new PerceptException(file + ": " + required + " false is not supported (every released DINOv3 has it)");
            }
        }
        boolean queryBias = Configs.boolValue(cfg, "query_bias", true);
        boolean keyBias = Configs.boolValue(cfg, "key_bias", false);
        boolean valueBias = Configs.boolValue(cfg, "value_bias", true);
        boolean qkvBias = queryBias || keyBias || valueBias;
        EnumSet<Part> parts = EnumSet.of(Part.LAYER_SCALE, Part.PATCH_BIAS);
        if (qkvBias) {
            parts.add(Part.QKV_BIAS);
        }
        // An override (for weights that don't record their activation) applies to a plain MLP only.
        Activation activation = activationOverride != null && !gated
                ? activationOverride
                : Configs.activation(cfg, "hidden_act", gated ? Activation.SILU : Activation.GELU, file);
        VitConfig config = new VitConfig(d, layers, heads, mlp, patch,
                Configs.intValue(cfg, "image_size", 224, file) / patch, registers,
                Configs.doubleValue(cfg, "layer_norm_eps", 1e-5, file), activation,
                gated ? FeedForward.GATED : FeedForward.PLAIN, parts, 0,
                new Rotary(Configs.doubleValue(cfg, "rope_theta", 100, file)));

        String e = "embeddings.";
        KeyMap keys = new KeyMap()
                .copy("cls_token", e + "cls_token", 1, 1, d)
                .copy("patch_embed.proj.weight", e + "patch_embeddings.weight", d, 3, patch, patch)
                .copy("patch_embed.proj.bias", e + "patch_embeddings.bias", d)
                .copy("norm.weight", "norm.weight", d)
                .copy("norm.bias", "norm.bias", d)
                .ignore(k -> k.equals(e + "mask_token"));
        if (registers > 0) {
            keys.copy("reg_token", e + "register_tokens", 1, registers, d);
        }
        for (int i = 0; i < layers; i++) {
            String src = "layer." + i + ".";
            String dst = "blocks." + i + ".";
            String att = src + "attention.";
            keys.fuse(dst + "attn.qkv.weight", new long[] {d, d},
                            att + "q_proj.weight", att + "k_proj.weight", att + "v_proj.weight")
                    .copy(dst + "norm1.weight", src + "norm1.weight", d)
                    .copy(dst + "norm1.bias", src + "norm1.bias", d)
                    .copy(dst + "attn.proj.weight", att + "o_proj.weight", d, d)
                    .copy(dst + "attn.proj.bias", att + "o_proj.bias", d)
                    .copy(dst + "ls1.gamma", src + "layer_scale1.lambda1", d)
                    .copy(dst + "norm2.weight", src + "norm2.weight", d)
                    .copy(dst + "norm2.bias", src + "norm2.bias", d)
                    .copy(dst + "ls2.gamma", src + "layer_scale2.lambda1", d);
            if (qkvBias) {
                keys.fuseQkvBias(dst + "attn.qkv.bias", d,
                        queryBias ? att + "q_proj.bias" : null,
                        keyBias ? att + "k_proj.bias" : null,
                        valueBias ? att + "v_proj.bias" : null);
            }
            String m = src + "mlp.";
            if (gated) {
                Dinov3Mlp.gated(keys, dst, m + "gate_proj", m + "up_proj", m + "down_proj", d, mlp);
            } else {
                Dinov3Mlp.plain(keys, dst, m + "up_proj", m + "down_proj", d, mlp);
            }
        }
        return new Plan(name(), config, keys, IMAGENET_MEAN, IMAGENET_STD);
    }
}
