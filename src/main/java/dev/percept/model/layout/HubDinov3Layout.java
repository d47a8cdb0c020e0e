package dev.percept.model.layout;

import dev.percept.PerceptException;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.Rotary;
import java.util.EnumSet;

/**
 * The original DINOv3 hub checkpoints (facebookresearch/dinov3, {@code dinov3_vitb16_pretrain_*.pth}
 * and the others): {@code storage_tokens}, {@code rope_embed.periods}, {@code attn.qkv.bias_mask},
 * {@code ls1/ls2.gamma}, and {@code mlp.w1/w2/w3} in the SwiGLU ("plus", 7B) models. There is no
 * config file: the head width is 4 x the number of stored periods, and every released model uses
 * LayerNorm eps 1e-5 and rotary base 100 (the stored periods are used as they are).
 */
final class HubDinov3Layout implements Layout {
    static final double ROPE_THETA = 100;
    static final double EPS = 1e-5;
    static final int GRID = 224 / 16;

    @Override
    public String name() {
        return "dinov3-hub";
    }

    @Override
    public boolean matches(Checkpoint c) {
        return c.has("rope_embed.periods") && c.has("patch_embed.proj.weight");
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        long[] proj = c.shape("patch_embed.proj.weight");
        int d = (int) proj[0];
        int patch = (int) proj[2];
        int layers = Configs.countBlocks(c, "blocks.", ".norm1.weight");
        long quarter = c.shape("rope_embed.periods")[0];
        if (quarter <= 0 || d % (4 * quarter) != 0) {
            throw new PerceptException(c.describe() + ": rope_embed.periods has " + quarter
                    + " entries, which does not divide the width " + d + " into heads");
        }
        int heads = (int) (d / (4 * quarter));
        boolean gated = c.has("blocks.0.mlp.w1.weight");
        int mlp = (int) c.shape(gated ? "blocks.0.mlp.w1.weight" : "blocks.0.mlp.fc1.weight")[0];
        int registers = c.has("storage_tokens") ? (int) c.shape("storage_tokens")[1] : 0;
        boolean qkvBias = c.has("blocks.0.attn.qkv.bias");
        EnumSet<Part> parts = EnumSet.of(Part.LAYER_SCALE, Part.PATCH_BIAS);
        if (qkvBias) {
            parts.add(Part.QKV_BIAS);
        }
        Activation activation = gated ? Activation.SILU : activationOverride != null ? activationOverride : Activation.GELU;
        VitConfig config = new VitConfig(d, layers, heads, mlp, patch, GRID, registers, EPS, activation,
                gated ? FeedForward.GATED : FeedForward.PLAIN, parts, 0, new Rotary(ROPE_THETA));

        KeyMap keys = new KeyMap()
                .copy("cls_token", "cls_token", 1, 1, d)
                .copy("rope.periods", "rope_embed.periods", quarter)
                .copy("patch_embed.proj.weight", "patch_embed.proj.weight", d, 3, patch, patch)
                .copy("patch_embed.proj.bias", "patch_embed.proj.bias", d)
                .copy("norm.weight", "norm.weight", d)
                .copy("norm.bias", "norm.bias", d)
                // mask_token is for masked-image training; local_cls_norm only for training crops.
                .ignore(k -> k.equals("mask_token") || k.startsWith("local_cls_norm."));
        if (registers > 0) {
            keys.copy("reg_token", "storage_tokens", 1, registers, d);
        }
        for (int i = 0; i < layers; i++) {
            String b = "blocks." + i + ".";
            keys.timmBlock(b, d)
                    .copy(b + "ls1.gamma", b + "ls1.gamma", d)
                    .copy(b + "ls2.gamma", b + "ls2.gamma", d);
            if (qkvBias) {
                keys.maskedQkvBias(b + "attn.qkv.bias", b + "attn.qkv.bias", b + "attn.qkv.bias_mask", d);
            }
            if (gated) {
                Dinov3Mlp.gated(keys, b, b + "mlp.w1", b + "mlp.w2", b + "mlp.w3", d, mlp);
            } else {
                Dinov3Mlp.plain(keys, b, b + "mlp.fc1", b + "mlp.fc2", d, mlp);
            }
        }
        return new Plan(name(), config, keys, IMAGENET_MEAN, IMAGENET_STD);
    }
}
