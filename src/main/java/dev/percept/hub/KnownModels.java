package dev.percept.hub;

import dev.percept.PerceptException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of known model names. {@link #DEFAULT} holds the backbones of the paper (DreamSim's
 * backbones); tests build their own registry with tiny fake models.
 */
public final class KnownModels {

    private static final String TIMM_CONFIG = "config.json";
    private static final String TIMM_WEIGHTS = "model.safetensors";
    // open_clip's names for its Hub files (open_clip src/open_clip/constants.py: HF_CONFIG_NAME,
    // HF_SAFE_WEIGHTS_NAME).
    private static final String OPEN_CLIP_CONFIG = "open_clip_config.json";
    private static final String OPEN_CLIP_WEIGHTS = "open_clip_model.safetensors";
    // DreamSim's release tags (dreamsim/config.py, dreamsim_weights).
    private static final String DREAMSIM_V020 = "v0.2.0-checkpoints";
    private static final String DREAMSIM_V021 = "v0.2.1-checkpoints";

    // Sources, checked against the Hub pages and file lists, open_clip's pretrained.py and
    // DreamSim's feature_extraction code:
    // - DINO: DreamSim loads torch.hub facebookresearch/dino (timm block layout).
    //   timm/vit_base_patch16_224.dino holds config.json (577 B) and model.safetensors (343 MB,
    //   added in commit 9578d38) beside a pickle pytorch_model.bin.
    // - DINOv2: DreamSim loads torch.hub facebookresearch/dinov2 (same layout as timm's, ls1/ls2
    //   gamma). timm/vit_base_patch14_dinov2.lvd142m holds config.json (614 B) and
    //   model.safetensors (346 MB); its position grid is 37x37 (518 px).
    // - CLIP: openai/clip-vit-base-patch16 and -patch32 carry only pickle (and TF/Flax) weights on
    //   main; their safetensors exist only in unmerged pull-request refs. timm's copies of the same
    //   OpenAI weights carry open_clip_config.json ("quick_gelu": true) and
    //   open_clip_model.safetensors: seen in the file list of timm/vit_base_patch32_clip_224.openai
    //   (commit ab5b8ef); for the B/16 repo, public code downloads
    //   resolve/main/open_clip_model.safetensors and loads 'hf-hub:timm/vit_base_patch16_clip_224.openai'
    //   with open_clip (which needs open_clip_config.json). open_clip's pretrained.py maps
    //   ViT-B-16/ViT-B-32 "openai" to these repos with quick_gelu=True. The open_clip layout is the
    //   original OpenAI layout DreamSim converts from.
    // - OpenCLIP: DreamSim creates 'ViT-B-32' / 'ViT-B-16' with pretrained='laion400m_e31'
    //   (load_open_clip_as_dino.py). open_clip's pretrained.py maps both tags to
    //   timm/vit_base_patch{32,16}_clip_224.laion400m_e31. The B/32 file list (commit 846175f)
    //   shows open_clip_config.json (556 B) and open_clip_model.safetensors (605 MB) beside a
    //   pickle; the B/16 repo was added in the same batch (commit dd197ef, tags OpenCLIP and
    //   Safetensors). Activation per open_clip's tags: B/32 laion400m_e31 has quick_gelu=True (file
    //   vit_b_32-quickgelu-laion400m_e31; model card: "ViT-B-32-quickgelu"); B/16 laion400m_e31
    //   has not (file vit_b_16-laion400m_e31; model card: "ViT-B-16"), so plain GELU. Note:
    //   DreamSim's own conversion (load_open_clip_as_dino) keeps nn.GELU for both, so its reported
    //   open_clip_vitb32 numbers were measured with GELU on QuickGELU-trained weights.
    // - SynCLR: google-research/syn-rep-learn (SynCLR/README.md) publishes synclr_vit_b_16.pth, a
    //   pickle, on Dropbox; the only Hub copy (paulgavrikov/synclr-vit-base-patch16-224) is the
    //   same pickle. No safetensors copy exists, so the user downloads the .pth and passes the file.
    // - ensemble: DreamSim's default "ensemble" is dino_vitb16,clip_vitb16,open_clip_vitb16
    //   (dreamsim/config.py).
    // - DINOv3 (not in the paper; DreamSim's users ask for it): timm's ports
    //   timm/vit_{small,small_plus,base,large,huge_plus}_patch16_dinov3.lvd1689m hold config.json
    //   and model.safetensors (file lists of the small, small_plus and huge_plus repos seen; names
    //   from timm's eva.py pretrained configs), under the DINOv3 licence but not gated. Meta's own
    //   copies, facebook/dinov3-vit{s16,s16plus,b16,l16,h16plus}-pretrain-lvd1689m, are gated (accept
    //   the licence on the Hub, then set HF_TOKEN); they hold a transformers folder (config.json,
    //   model.safetensors, preprocessor_config.json as save_pretrained writes them; the list itself
    //   was not visible without access). No activation: the layouts know it (GELU, or SiLU in the
    //   SwiGLU "plus" models).
    // Revision "main": these repos are frozen releases, and "main" shares the cache entry
    // (refs/main) with Python code that calls hf_hub_download without a revision.
    public static final KnownModels DEFAULT = new KnownModels(List.of(
            KnownModel.onHub("dino_vitb16", "dino", "timm/vit_base_patch16_224.dino", "main",
                    List.of(TIMM_CONFIG, TIMM_WEIGHTS), KnownModel.GELU,
                    "DINO ViT-B/16, self-supervised on ImageNet-1k (timm layout)"),
            KnownModel.onHub("dinov2_vitb14", "dinov2", "timm/vit_base_patch14_dinov2.lvd142m", "main",
                    List.of(TIMM_CONFIG, TIMM_WEIGHTS), KnownModel.GELU,
                    "DINOv2 ViT-B/14, self-supervised on LVD-142M (timm layout, 518 px position grid)"),
            KnownModel.onHub("clip_vitb16", "clip", "timm/vit_base_patch16_clip_224.openai", "main",
                    List.of(OPEN_CLIP_CONFIG, OPEN_CLIP_WEIGHTS), KnownModel.QUICK_GELU,
                    "OpenAI CLIP ViT-B/16 (open_clip layout, QuickGELU)"),
            KnownModel.onHub("clip_vitb32", "clip", "timm/vit_base_patch32_clip_224.openai", "main",
                    List.of(OPEN_CLIP_CONFIG, OPEN_CLIP_WEIGHTS), KnownModel.QUICK_GELU,
                    "OpenAI CLIP ViT-B/32 (open_clip layout, QuickGELU)"),
            KnownModel.onHub("open_clip_vitb32", "open_clip", "timm/vit_base_patch32_clip_224.laion400m_e31",
                    "main", List.of(OPEN_CLIP_CONFIG, OPEN_CLIP_WEIGHTS), KnownModel.QUICK_GELU,
                    "OpenCLIP ViT-B/32, LAION-400M epoch 31 (QuickGELU)"),
            KnownModel.onHub("open_clip_vitb16", "open_clip", "timm/vit_base_patch16_clip_224.laion400m_e31",
                    "main", List.of(OPEN_CLIP_CONFIG, OPEN_CLIP_WEIGHTS), KnownModel.GELU,
                    "OpenCLIP ViT-B/16, LAION-400M epoch 31 (GELU)"),
            KnownModel.manual("synclr_vitb16", "synclr", KnownModel.GELU,
                    "SynCLR ViT-B/16 weights are published only as a PyTorch checkpoint, synclr_vit_b_16.pth"
                            + " (https://github.com/google-research/syn-rep-learn/tree/main/SynCLR, download"
                            + " link in its README), not on the Hub. Download it and pass the file itself:"
                            + " --model synclr_vit_b_16.pth (its 'model' entry and 'module.visual.' prefix are"
                            + " unwrapped), or make a safetensors folder once with percept convert",
                    "SynCLR ViT-B/16, trained on synthetic images (not on the Hub as safetensors)"),
            KnownModel.ensemble("ensemble", List.of("dino_vitb16", "clip_vitb16", "open_clip_vitb16"),
                    "DreamSim's ensemble: DINO, CLIP and OpenCLIP ViT-B/16 embeddings concatenated"),
            // DreamSim's released checkpoints (dreamsim/config.py: dreamsim_weights, dreamsim_args).
            KnownModel.dreamsim("dreamsim", DreamSimRelease.ensemble(DREAMSIM_V020),
                    "DreamSim: the aligned ensemble of DINO, CLIP and OpenCLIP ViT-B/16 (LoRA)"),
            KnownModel.dreamsim("dreamsim_dino_vitb16", DreamSimRelease.single(DREAMSIM_V020, DreamSimRelease.DINO_VITB16),
                    "DreamSim's aligned DINO ViT-B/16 (LoRA)"),
            KnownModel.dreamsim("dreamsim_clip_vitb32", DreamSimRelease.single(DREAMSIM_V020, DreamSimRelease.CLIP_VITB32),
                    "DreamSim's aligned CLIP ViT-B/32 (LoRA)"),
            KnownModel.dreamsim("dreamsim_open_clip_vitb32",
                    DreamSimRelease.single(DREAMSIM_V020, DreamSimRelease.OPEN_CLIP_VITB32),
                    "DreamSim's aligned OpenCLIP ViT-B/32 (LoRA)"),
            KnownModel.dreamsim("dreamsim_dinov2_vitb14",
                    DreamSimRelease.single(DREAMSIM_V021, DreamSimRelease.DINOV2_VITB14),
                    "DreamSim's aligned DINOv2 ViT-B/14 (LoRA)"),
            KnownModel.dreamsim("dreamsim_synclr_vitb16",
                    DreamSimRelease.single(DREAMSIM_V021, DreamSimRelease.SYNCLR_VITB16),
                    "DreamSim's aligned SynCLR ViT-B/16 (LoRA)"),
            KnownModel.dreamsim("dreamsim_dino_vitb16_patch",
                    DreamSimRelease.patch(DREAMSIM_V021, DreamSimRelease.DINO_VITB16),
                    "DreamSim's DINO ViT-B/16 aligned on class and patch tokens (LoRA)"),
            KnownModel.dreamsim("dreamsim_dinov2_vitb14_patch",
                    DreamSimRelease.patch(DREAMSIM_V021, DreamSimRelease.DINOV2_VITB14),
                    "DreamSim's DINOv2 ViT-B/14 aligned on class and patch tokens (LoRA)"),
            dinov3Timm("dinov3_vits16", "vit_small_patch16_dinov3", "ViT-S/16"),
            dinov3Timm("dinov3_vits16plus", "vit_small_plus_patch16_dinov3", "ViT-S+/16, SwiGLU"),
            dinov3Timm("dinov3_vitb16", "vit_base_patch16_dinov3", "ViT-B/16"),
            dinov3Timm("dinov3_vitl16", "vit_large_patch16_dinov3", "ViT-L/16"),
            dinov3Timm("dinov3_vith16plus", "vit_huge_plus_patch16_dinov3", "ViT-H+/16, SwiGLU"),
            dinov3Meta("dinov3_vits16_hf", "vits16", "ViT-S/16"),
            dinov3Meta("dinov3_vits16plus_hf", "vits16plus", "ViT-S+/16, SwiGLU"),
            dinov3Meta("dinov3_vitb16_hf", "vitb16", "ViT-B/16"),
            dinov3Meta("dinov3_vitl16_hf", "vitl16", "ViT-L/16"),
            dinov3Meta("dinov3_vith16plus_hf", "vith16plus", "ViT-H+/16, SwiGLU")));

    private static KnownModel dinov3Timm(String name, String architecture, String size) {
        return KnownModel.onHub(name, "dinov3", "timm/" + architecture + ".lvd1689m", "main",
                List.of(TIMM_CONFIG, TIMM_WEIGHTS), null,
                "DINOv3 " + size + ", distilled on LVD-1689M (timm layout)");
    }

    private static KnownModel dinov3Meta(String name, String size, String description) {
        return KnownModel.onHub(name, "dinov3", "facebook/dinov3-" + size + "-pretrain-lvd1689m", "main",
                List.of("config.json", "model.safetensors", "preprocessor_config.json"), null,
                "DINOv3 " + description + " (Hugging Face layout; gated: accept the licence, set HF_TOKEN)");
    }

    private final List<KnownModel> models;

    public KnownModels(List<KnownModel> models) {
        this.models = List.copyOf(models);
        Set<String> names = new HashSet<>();
        for (KnownModel m : this.models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("duplicate known model " + m.name());
            }
        }
        for (KnownModel m : this.models) {
            for (String member : m.members()) {
                KnownModel target = find(member).orElseThrow(
                        () -> new IllegalArgumentException(m.name() + ": unknown member " + member));
                if (target.isEnsemble()) {
                    throw new IllegalArgumentException(m.name() + ": member " + member + " is an ensemble");
                }
            }
        }
    }

    public List<KnownModel> all() {
        return models;
    }

    public Optional<KnownModel> find(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The model called {@code name}, or an error that lists the known names. */
    public KnownModel get(String name) {
        return find(name).orElseThrow(() -> new PerceptException(
                "unknown model name " + name + " (known: " + names() + ")"));
    }

    /** The known names, comma-separated, for messages. */
    public String names() {
        return String.join(", ", models.stream().map(KnownModel::name).toList());
    }
}
