package dev.percept.hub;

import java.util.List;
import java.util.Objects;

/**
 * One of DreamSim's released checkpoints (GitHub releases of ssundaram21/dreamsim): the zip that
 * holds its LoRA adapter and some backbone files, the backbone files fetched from elsewhere, and
 * how the backbones combine. Paths are relative to the DreamSim cache folder, which has the layout
 * of DreamSim's own {@code cache_dir} ({@code ./models}): the zips unpacked side by side, torch
 * hub checkpoints under {@code checkpoints/}.
 *
 * @param type DreamSim's {@code dreamsim_type} ({@code ensemble}, {@code dino_vitb16_patch}, ...)
 * @param tag the release tag the zip is attached to
 * @param adapter the PEFT folder inside the zip; member i's modules are under
 *     {@code extractor_list.<i>.model}
 * @param members the backbones in DreamSim's order (extractor_list index)
 * @param patch DreamSim's patch model ({@code use_patch_model}): every last-block token centred
 *     and L2-normalised, then the class token and the mean of the patch tokens
 */
public record DreamSimRelease(String type, String tag, String adapter, List<Member> members, boolean patch) {

    /**
     * One backbone.
     *
     * @param modelType DreamSim's {@code model_type} ({@code dino_vitb16}, {@code clip_vitb16}, ...)
     * @param weights the backbone file, relative to the cache folder
     * @param download where the file comes from when the zip lacks it, relative to the
     *     dl.fbaipublicfiles.com base URL (as torch.hub fetches it); null when the zip holds it
     * @param activation {@link KnownModel#GELU} or {@link KnownModel#QUICK_GELU}: DreamSim puts
     *     QuickGELU in CLIP only
     * @param features {@code cls} or {@code embedding} (ignored in a patch model)
     */
    public record Member(String modelType, String weights, String download, String activation, String features) {
        public Member {
            Objects.requireNonNull(modelType, "modelType");
            Objects.requireNonNull(weights, "weights");
        }
    }

    public DreamSimRelease {
        members = List.copyOf(members);
    }

    // Backbone files, from DreamSim's feature_extraction code: DINO and DINOv2 come from torch.hub
    // (facebookresearch/dino, facebookresearch/dinov2), which saves them under checkpoints/; CLIP,
    // OpenCLIP and SynCLR are read from the cache folder itself, where the zip puts them.
    static final Member DINO_VITB16 = new Member("dino_vitb16", "checkpoints/dino_vitbase16_pretrain.pth",
            "dino/dino_vitbase16_pretrain/dino_vitbase16_pretrain.pth", KnownModel.GELU, "cls");
    static final Member DINOV2_VITB14 = new Member("dinov2_vitb14", "checkpoints/dinov2_vitb14_pretrain.pth",
            "dinov2/dinov2_vitb14/dinov2_vitb14_pretrain.pth", KnownModel.GELU, "cls");
    static final Member CLIP_VITB16 = clip("clip_vitb16", KnownModel.QUICK_GELU);
    static final Member CLIP_VITB32 = clip("clip_vitb32", KnownModel.QUICK_GELU);
    static final Member OPEN_CLIP_VITB16 = clip("open_clip_vitb16", KnownModel.GELU);
    static final Member OPEN_CLIP_VITB32 = clip("open_clip_vitb32", KnownModel.GELU);
    static final Member SYNCLR_VITB16 = new Member("synclr_vitb16", "synclr_vit_b_16.pth", null, KnownModel.GELU, "cls");

    private static Member clip(String type, String activation) {
        return new Member(type, type + "_pretrain.pth.tar", null, activation, "embedding");
    }

    /** DreamSim's ensemble: DINO, CLIP and OpenCLIP ViT-B/16. */
    static DreamSimRelease ensemble(String tag) {
        return new DreamSimRelease("ensemble", tag, "ensemble_lora",
                List.of(DINO_VITB16, CLIP_VITB16, OPEN_CLIP_VITB16), false);
    }

    /** A single-backbone model, trained on the image-level feature. */
    static DreamSimRelease single(String tag, Member member) {
        return new DreamSimRelease(member.modelType(), tag, member.modelType() + "_single_lora", List.of(member), false);
    }

    /** A single-backbone model trained on the class and patch tokens. */
    static DreamSimRelease patch(String tag, Member member) {
        return new DreamSimRelease(member.modelType() + "_patch", tag, member.modelType() + "_patch_lora",
                List.of(member), true);
    }

    /** The zip's name in the release. */
    public String zip() {
        return "dreamsim_" + type + "_checkpoint.zip";
    }

    /** The adapter's config, whose presence marks an unpacked zip. */
    String adapterConfig() {
        return adapter + "/adapter_config.json";
    }
}
