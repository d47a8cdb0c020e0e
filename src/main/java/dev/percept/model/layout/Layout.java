package dev.percept.model.layout;

import dev.percept.PerceptException;
import dev.percept.model.Checkpoint;
import dev.percept.model.VitConfig;
import dev.percept.model.VitConfig.Activation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An upstream checkpoint format: how to recognise it, read its configuration and map its keys.
 * One model, many key maps.
 */
public interface Layout {
    /** ImageNet statistics (DINO, DINOv2, SynCLR and timm defaults). */
    float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** OpenAI CLIP statistics (CLIP and OpenCLIP). */
    float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    List<Layout> ALL = List.of(new HfVitLayout(), new HfDinov2Layout(), new HfDinov3Layout(), new HfClipLayout(),
            new OpenClipLayout(), new HubDinov3Layout(), new TimmDinov3Layout(), new DreamSimClipLayout(),
            new TimmLayout());

    /** A short name users see ("hf-vit", "timm", ...). */
    String name();

    boolean matches(Checkpoint checkpoint);

    Plan plan(Checkpoint checkpoint, Activation activationOverride);

    /**
     * What loading needs: the architecture, the key mapping, and the normalisation the weights
     * were trained with.
     */
    record Plan(String layout, VitConfig config, KeyMap keys, float[] mean, float[] std) {}

    /** The layout of a checkpoint, or an error saying what was looked for. */
    static Layout detect(Checkpoint checkpoint) {
        for (Layout layout : ALL) {
            if (layout.matches(checkpoint)) {
                return layout;
            }
        }
        String sample = checkpoint.shapes().keySet().stream().limit(5).collect(Collectors.joining(", "));
        throw new PerceptException("unrecognised checkpoint layout in " + checkpoint.describe()
                + ": expected a config.json with model_type vit, dinov2, dinov2_with_registers, dinov3_vit, clip or "
                + "clip_vision_model, open_clip keys (visual.conv1.weight), DINOv3 hub keys (rope_embed.periods), "
                + "DreamSim's CLIP keys (pos_drop.weight and proj) or timm keys (patch_embed.proj.weight); "
                + "found keys " + sample);
    }
}
