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
import java.util.Locale;
import java.util.Map;

/**
 * timm and the DINO / DINOv2 torch-hub layout ({@code patch_embed.proj}, {@code blocks.<i>.*}),
 * also used for SynCLR. The heads count isn't in the weights: it comes from the timm config's
 * {@code model_args.num_heads}, from the architecture name, or D / 64.
 */
final class TimmLayout implements Layout {
    private static final String FILE = "config.json";
    private static final Map<String, Integer> HEADS_BY_SIZE = Map.of(
            "vit_tiny", 3, "vit_small", 6, "vit_base", 12, "vit_large", 16, "vit_huge", 16, "vit_giant", 24);

    @Override
    public String name() {
        return "timm";
    }

    @Override
    public boolean matches(Checkpoint c) {
        return c.has("patch_embed.proj.weight") && c.has("blocks.0.norm1.weight");
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
        int mlp = (int) c.shape("blocks.0.mlp.fc1.weight")[0];
        long positions = c.shape("pos_embed")[1] - 1;
        int grid = Configs.squareGrid(positions, c.describe() + " pos_embed");
        String registerKey = c.has("register_tokens") ? "register_tokens" : "reg_token";
        int registers = c.has(registerKey) ? (int) c.shape(registerKey)[1] : 0;
        boolean layerScale = c.has("blocks.0.ls1.gamma");
        boolean preNorm = c.has("norm_pre.weight");
        boolean qkvBias = c.has("blocks.0.attn.qkv.bias");
        int heads = Configs.intValue(cfg == null ? null : cfg.get("model_args"), "num_heads", headsFromName(arch, d), file);
        Activation activation = activationOverride != null
                ? activationOverride
                : arch.contains("quickgelu") ? Activation.QUICK_GELU : Activation.GELU;
        // timm builds CLIP-style towers (those with norm_pre) with torch's default eps.
        double eps = preNorm ? 1e-5 : 1e-6;
        EnumSet<Part> parts = EnumSet.noneOf(Part.class);
        if (preNorm) {
            parts.add(Part.PRE_NORM);
        }
        if (layerScale) {
            parts.add(Part.LAYER_SCALE);
        }
        if (qkvBias) {
            parts.add(Part.QKV_BIAS);
        }
        if (c.has("patch_embed.proj.bias")) {
            parts.add(Part.PATCH_BIAS);
        }
        VitConfig config = new VitConfig(
                d, layers, heads, mlp, patch, grid, registers, eps, activation, FeedForward.PLAIN, parts,
                0, new Learned(PosEmbedResize.SCALE_WITH_OFFSET));

        KeyMap keys = new KeyMap()
                .copy("cls_token", "cls_token", 1, 1, d)
                .copy("pos_embed", "pos_embed", 1, 1 + positions, d)
                .copy("patch_embed.proj.weight", "patch_embed.proj.weight", d, 3, patch, patch)
                .copy("norm.weight", "norm.weight", d)
                .copy("norm.bias", "norm.bias", d)
                .ignore(k -> k.equals("mask_token") || k.startsWith("head.") || k.startsWith("fc_norm."));
        if (config.has(Part.PATCH_BIAS)) {
            keys.copy("patch_embed.proj.bias", "patch_embed.proj.bias", d);
        }
        if (registers > 0) {
            keys.copy("reg_token", registerKey, 1, registers, d);
        }
        if (preNorm) {
            keys.copy("norm_pre.weight", "norm_pre.weight", d).copy("norm_pre.bias", "norm_pre.bias", d);
        }
        for (int i = 0; i < layers; i++) {
            String b = "blocks." + i + ".";
            keys.timmBlock(b, d).timmMlp(b, d, mlp);
            if (qkvBias) {
                keys.copy(b + "attn.qkv.bias", b + "attn.qkv.bias", 3L * d);
            }
            if (layerScale) {
                keys.copy(b + "ls1.gamma", b + "ls1.gamma", d).copy(b + "ls2.gamma", b + "ls2.gamma", d);
            }
        }
        JsonNode pretrained = cfg == null ? null : cfg.get("pretrained_cfg");
        float[] mean = preNorm ? CLIP_MEAN : IMAGENET_MEAN;
        float[] std = preNorm ? CLIP_STD : IMAGENET_STD;
        return new Plan(name(), config, keys,
                Configs.triple(pretrained, "mean", mean, file), Configs.triple(pretrained, "std", std, file));
    }

    private static int headsFromName(String arch, int hidden) {
        for (Map.Entry<String, Integer> e : HEADS_BY_SIZE.entrySet()) {
            if (arch.startsWith(e.getKey() + "_")) {
                return e.getValue();
            }
        }
        return Math.max(1, hidden / 64);
    }
}
