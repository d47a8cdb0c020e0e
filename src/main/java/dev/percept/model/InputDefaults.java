package dev.percept.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.image.Preprocessing;
import dev.percept.image.Resample;
import dev.percept.model.layout.Configs;
import dev.percept.model.layout.Layout;

/**
 * The preprocessing a model folder asks for. DreamSim's recipe is the default: 224 x 224 bicubic,
 * no crop, the layout's mean and std. A Hugging Face {@code preprocessor_config.json} wins for
 * mean, std, size and filter; it (or timm's {@code crop_pct}) also sets the shorter-side resize
 * used when the user picks upstream-style resize-and-crop.
 */
final class InputDefaults {
    static final int SIZE = 224;
    private static final String FILE = "preprocessor_config.json";

    private InputDefaults() {}

    static Preprocessing of(Checkpoint checkpoint, Layout.Plan plan) {
        JsonNode pre = checkpoint.json(FILE);
        String file = checkpoint.folder().resolve(FILE).toString();
        boolean clipStats = plan.mean()[0] == Layout.CLIP_MEAN[0];
        if (pre == null) {
            double cropPct = cropPct(checkpoint, clipStats);
            return Preprocessing.dreamsim(SIZE, plan.mean(), plan.std())
                    .withResizeShorter((int) Math.floor(SIZE / cropPct));
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
        Resample resample = switch (pre.path("resample").asInt(3)) {
            case 2 -> Resample.BILINEAR;
            case 3 -> Resample.BICUBIC;
            default -> throw new PerceptException(file + ": resample " + pre.get("resample")
                    + " is not supported (2 bilinear or 3 bicubic)");
        };
        float[] mean = Configs.triple(pre, "image_mean", plan.mean(), file);
        float[] std = Configs.triple(pre, "image_std", plan.std(), file);
        return Preprocessing.dreamsim(size, mean, std).withResample(resample).withResizeShorter(shorter);
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
