package dev.percept.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.image.Normalization;
import dev.percept.image.Preprocessing;
import dev.percept.image.ResampleFilter;
import dev.percept.model.layout.Configs;
import dev.percept.model.layout.Layout;

/**
 * The preprocessing a model folder asks for. DreamSim's recipe is the default: 224 x 224 bicubic,
 * no crop, the layout's mean and std. A Hugging Face {@code preprocessor_config.json} wins for
 * mean, std, size and filter; it (or timm's {@code crop_pct}) also sets the shorter-side resize
 * used when the user picks upstream-style resize-and-crop.
 *
 * @param size square input side
 * @param resizeShorter shorter-side length before the centre crop, for upstream-style preprocessing
 */
public record InputSpec(int size, int resizeShorter, ResampleFilter filter, Normalization normalization) {
    static final int SIZE = 224;
    private static final String FILE = "preprocessor_config.json";

    /** DreamSim's way: resize to a square, no crop. */
    public Preprocessing squash() {
        return Preprocessing.squash(size, size, filter, normalization);
    }

    /**
     * @param upstreamCrop resize the shorter side and centre-crop, as upstream evaluation does
     * @param sizeOverride another input side, 0 to keep this one (the crop margin scales along)
     */
    public Preprocessing preprocessing(boolean upstreamCrop, int sizeOverride) {
        int s = sizeOverride > 0 ? sizeOverride : size;
        if (!upstreamCrop) {
            return Preprocessing.squash(s, s, filter, normalization);
        }
        int shorter = (int) Math.round((double) resizeShorter * s / size);
        return Preprocessing.shorterSideThenCenterCrop(Math.max(shorter, s), s, s, filter, normalization);
    }

    static InputSpec of(Checkpoint checkpoint, Layout.Plan plan) {
        JsonNode pre = checkpoint.json(FILE);
        String file = checkpoint.folder().resolve(FILE).toString();
        Normalization layoutStats = new Normalization(plan.mean(), plan.std());
        if (pre == null) {
            double cropPct = cropPct(checkpoint, plan.mean()[0] == Layout.CLIP_MEAN[0]);
            return new InputSpec(SIZE, (int) Math.floor(SIZE / cropPct), ResampleFilter.BICUBIC, layoutStats);
        }
        int size = SIZE;
        int shorter = SIZE;
        JsonNode crop = pre.get("crop_size");
        JsonNode resize = pre.get("size");
        if (pre.path("do_center_crop").asBoolean(crop != null) && crop != null) {
            size = side(crop, file, "crop_size");
            shorter = resize == null ? size : side(resize, file, "size");
        } else if (resize != null) {
            size = side(resize, file, "size");
            shorter = size;
        }
        int code = pre.path("resample").asInt(3);
        if (code != 2 && code != 3) {
            throw new PerceptException(file + ": resample " + code + " is not supported (2 bilinear or 3 bicubic)");
        }
        Normalization stats = new Normalization(
                Configs.triple(pre, "image_mean", plan.mean(), file), Configs.triple(pre, "image_std", plan.std(), file));
        return new InputSpec(size, Math.max(shorter, size), ResampleFilter.fromPilCode(code), stats);
    }
    /** timm's crop_pct; else DINO's eval recipe (256 then crop 224) or CLIP's (224, crop 224). */
    private static double cropPct(Checkpoint checkpoint, boolean clipStats) {
        JsonNode timm = checkpoint.json("config.json");
        JsonNode pct = timm == null ? null : timm.path("pretrained_cfg").get("crop_pct");
        if (pct != null && pct.isNumber() && pct.asDouble() > 0 && pct.asDouble() <= 1) {
            return pct.asDouble();
        }
        return clipStats ? 1.0 : 224.0 / 256.0;
    }

    /** A size entry: an int, {"shortest_edge": n}, or {"height": h, "width": w} (square only). */
    private static int side(JsonNode node, String file, String key) {
        if (node.canConvertToInt()) {
            return node.asInt();
        }
        if (node.has("shortest_edge")) {
            return node.get("shortest_edge").asInt();
        }
        if (node.has("height") && node.has("width")) {
            int h = node.get("height").asInt();
            int w = node.get("width").asInt();
            if (h != w) {
                throw new PerceptException(file + ": non-square " + key + " " + node + " is not supported");
            }
            return h;
        }
        throw new PerceptException(file + ": cannot read " + key + " " + node);
    }
}
