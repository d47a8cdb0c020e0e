package dev.percept.model.layout;

import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Learned;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.PosEmbedResize;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;

/**
 * DreamSim's conversions of CLIP and OpenCLIP into DINO's ViT ({@code clip_vitb16_pretrain.pth.tar},
 * {@code open_clip_vitb32_pretrain.pth.tar}, ...): timm block keys, with CLIP's {@code ln_pre}
 * stored as {@code pos_drop} (DreamSim swaps DINO's position dropout for a LayerNorm), {@code norm}
 * as {@code ln_post}, and the visual projection as {@code proj} [D, E] used as {@code x @ proj}.
 * Every LayerNorm has eps 1e-5. The weights don't record the activation: DreamSim puts QuickGELU
 * in CLIP and keeps GELU in OpenCLIP, so without an override a file named {@code clip_*} gets
 * QuickGELU and any other GELU.
 */
final class DreamSimClipLayout implements Layout {

    @Override
    public String name() {
        return "dreamsim-clip";
    }

    @Override
    public boolean matches(Checkpoint c) {
        return c.has("pos_drop.weight") && c.has("proj") && c.has("patch_embed.proj.weight");
    }

    @Override
    public Plan plan(Checkpoint c, Activation activationOverride) {
        long[] conv = c.shape("patch_embed.proj.weight");
        int d = (int) conv[0];
        int patch = (int) conv[2];
        int layers = Configs.countBlocks(c, "blocks.", ".norm1.weight");
        int mlp = (int) c.shape("blocks.0.mlp.fc1.weight")[0];
        long positions = c.shape("pos_embed")[1] - 1;
        int grid = Configs.squareGrid(positions, c.describe() + " pos_embed");
        int projection = (int) c.shape("proj")[1];
        boolean patchBias = c.has("patch_embed.proj.bias");
        Path described = Path.of(c.describe()).getFileName();
        String file = described == null ? "" : described.toString().toLowerCase(Locale.ROOT);
        Activation activation = activationOverride != null
                ? activationOverride
                : file.startsWith("clip_") ? Activation.QUICK_GELU : Activation.GELU;
        // DINO's ViT-B heads: D / 64.
        VitConfig config = new VitConfig(d, layers, Math.max(1, d / 64), mlp, patch, grid, 0, 1e-5, activation,
                FeedForward.PLAIN,
                patchBias ? EnumSet.of(Part.PRE_NORM, Part.QKV_BIAS, Part.PATCH_BIAS) : EnumSet.of(Part.PRE_NORM, Part.QKV_BIAS),
                projection, new Learned(PosEmbedResize.SCALE_WITH_OFFSET));

        KeyMap keys = new KeyMap()
                .copy("cls_token", "cls_token", 1, 1, d)
                .copy("pos_embed", "pos_embed", 1, 1 + positions, d)
                .copy("patch_embed.proj.weight", "patch_embed.proj.weight", d, 3, patch, patch)
                .copy("norm_pre.weight", "pos_drop.weight", d)
                .copy("norm_pre.bias", "pos_drop.bias", d)
                .copy("norm.weight", "norm.weight", d)
                .copy("norm.bias", "norm.bias", d)
                .transpose("head.weight", "proj", d, projection);
        if (patchBias) {
            keys.copy("patch_embed.proj.bias", "patch_embed.proj.bias", d);
        }
        for (int i = 0; i < layers; i++) {
            String b = "blocks." + i + ".";
            keys.timmBlock(b, d)
                    .copy(b + "attn.qkv.bias", b + "attn.qkv.bias", 3L * d)
                    .timmMlp(b, d, mlp);
        }
        return new Plan(name(), config, keys, CLIP_MEAN, CLIP_STD);
    }
}
