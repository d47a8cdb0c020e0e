package dev.percept.pretrain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.image.Normalization;
import dev.percept.io.FloatArray;
import dev.percept.io.JsonFiles;
import dev.percept.io.SafetensorsDtype;
import dev.percept.io.SafetensorsWriter;
import dev.percept.model.VitConfig;
import dev.percept.tensor.Parameters;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pretrained stand-in for the paper's backbones: a DINO-style ViT (timm layout, exact GELU,
 * LayerNorm eps 1e-6, ImageNet normalisation) small enough to train and align on two cores.
 * Saved as a timm model folder, so every loader and command takes it like a real checkpoint.
 */
public final class StandIn {
    public static final int IMAGE = 64;
    public static final int PATCH = 8;
    public static final int WIDTH = 128;
    public static final int DEPTH = 6;
    public static final int HEADS = 4;

    private StandIn() {}

    public static VitConfig config() {
        return new VitConfig(WIDTH, DEPTH, HEADS, 4 * WIDTH, PATCH, IMAGE / PATCH, 0, 1e-6, VitConfig.Activation.GELU,
                VitConfig.FeedForward.PLAIN, EnumSet.of(VitConfig.Part.QKV_BIAS, VitConfig.Part.PATCH_BIAS), 0,
                new VitConfig.Learned(VitConfig.PosEmbedResize.SCALE_WITH_OFFSET));
    }

    /**
     * Writes {@code config.json} (timm's), {@code preprocessor_config.json} (64 px, bicubic, no
     * crop) and {@code model.safetensors} (F16: half the bytes, and the loader widens it back).
     */
    static void write(Path folder, Parameters weights, Map<String, String> provenance) {
        Map<String, FloatArray> tensors = weights.values();
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put("format", "pt");
        SafetensorsWriter.write(folder.resolve("model.safetensors"), tensors, meta, SafetensorsDtype.F16);

        ObjectNode config = JsonFiles.mapper().createObjectNode();
        config.put("architecture", "vit_percept_tiny_patch8_64");
        config.put("num_classes", 0);
        config.put("num_features", WIDTH);
        config.put("global_pool", "token");
        ObjectNode args = config.putObject("model_args");
        args.put("img_size", IMAGE);
        args.put("patch_size", PATCH);
        args.put("embed_dim", WIDTH);
        args.put("depth", DEPTH);
        args.put("num_heads", HEADS);
        args.put("mlp_ratio", 4.0);
        args.put("qkv_bias", true);
        ObjectNode pretrained = config.putObject("pretrained_cfg");
        pretrained.put("tag", "percept-standin");
        ArrayNode size = pretrained.putArray("input_size");
        size.add(3).add(IMAGE).add(IMAGE);
        pretrained.put("interpolation", "bicubic");
        numbers(pretrained.putArray("mean"), Normalization.IMAGENET.mean());
        numbers(pretrained.putArray("std"), Normalization.IMAGENET.std());
        JsonFiles.write(folder.resolve("config.json"), config);

        ObjectNode pre = JsonFiles.mapper().createObjectNode();
        pre.put("do_center_crop", false);
        pre.put("do_resize", true);
        ObjectNode s = pre.putObject("size");
        s.put("height", IMAGE);
        s.put("width", IMAGE);
        pre.put("resample", 3);
        numbers(pre.putArray("image_mean"), Normalization.IMAGENET.mean());
        numbers(pre.putArray("image_std"), Normalization.IMAGENET.std());
        JsonFiles.write(folder.resolve("preprocessor_config.json"), pre);
    }

    private static void numbers(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(Double.parseDouble(Float.toString(v)));
        }
    }
}
