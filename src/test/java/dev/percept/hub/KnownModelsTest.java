package dev.percept.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownModelsTest {

    private static final KnownModels KNOWN = KnownModels.DEFAULT;

    @Test
    void listsThePapersBackbonesAndTheEnsemble() {
        assertEquals(List.of("dino_vitb16", "dinov2_vitb14", "clip_vitb16", "clip_vitb32", "open_clip_vitb32",
                "open_clip_vitb16", "synclr_vitb16", "ensemble"), KNOWN.all().stream().map(KnownModel::name).toList().subList(0, 8));
    }

    @Test
    void listsEveryDreamSimReleaseWithItsTagAdapterAndBackbones() {
        assertEquals(List.of("dreamsim", "dreamsim_dino_vitb16", "dreamsim_clip_vitb32", "dreamsim_open_clip_vitb32",
                "dreamsim_dinov2_vitb14", "dreamsim_synclr_vitb16", "dreamsim_dino_vitb16_patch",
                "dreamsim_dinov2_vitb14_patch"),
                KNOWN.all().stream().filter(KnownModel::isDreamSim).map(KnownModel::name).toList());
        DreamSimRelease ensemble = KNOWN.get("dreamsim").dreamsim();
        assertEquals("dreamsim_ensemble_checkpoint.zip", ensemble.zip());
        assertEquals("v0.2.0-checkpoints", ensemble.tag());
        assertEquals("ensemble_lora", ensemble.adapter());
        assertEquals(List.of("dino_vitb16", "clip_vitb16", "open_clip_vitb16"),
                ensemble.members().stream().map(DreamSimRelease.Member::modelType).toList());
        assertEquals(List.of(KnownModel.GELU, KnownModel.QUICK_GELU, KnownModel.GELU),
                ensemble.members().stream().map(DreamSimRelease.Member::activation).toList());
        DreamSimRelease patch = KNOWN.get("dreamsim_dinov2_vitb14_patch").dreamsim();
        assertEquals("dreamsim_dinov2_vitb14_patch_checkpoint.zip", patch.zip());
        assertEquals("v0.2.1-checkpoints", patch.tag());
        assertEquals("dinov2_vitb14_patch_lora", patch.adapter());
        assertTrue(patch.patch());
        assertEquals("checkpoints/dinov2_vitb14_pretrain.pth", patch.members().get(0).weights());
        DreamSimRelease synclr = KNOWN.get("dreamsim_synclr_vitb16").dreamsim();
        assertEquals("synclr_vitb16_single_lora", synclr.adapter());
        assertEquals("synclr_vit_b_16.pth", synclr.members().get(0).weights());
        assertEquals(null, synclr.members().get(0).download());
    }

    @Test
    void dinov3SizesComeFromTimmOpenlyAndFromMetaGated() {
        List<String> sizes = List.of("vits16", "vits16plus", "vitb16", "vitl16", "vith16plus");
        for (String size : sizes) {
            KnownModel timm = KNOWN.get("dinov3_" + size);
            assertTrue(timm.repo().startsWith("timm/vit_") && timm.repo().endsWith("_patch16_dinov3.lvd1689m"), timm.repo());
            assertEquals(List.of("config.json", "model.safetensors"), timm.files());
            KnownModel meta = KNOWN.get("dinov3_" + size + "_hf");
            assertEquals("facebook/dinov3-" + size + "-pretrain-lvd1689m", meta.repo());
            assertTrue(meta.description().contains("HF_TOKEN"), meta.description());
            assertEquals(null, timm.activation(), "the layout knows GELU or SwiGLU's SiLU");
        }
        assertEquals("timm/vit_small_plus_patch16_dinov3.lvd1689m", KNOWN.get("dinov3_vits16plus").repo());
        assertEquals("timm/vit_huge_plus_patch16_dinov3.lvd1689m", KNOWN.get("dinov3_vith16plus").repo());
    }

    @Test
    void everyHubModelFetchesSafetensorsWeights() {
        for (KnownModel m : KNOWN.all()) {
            if (m.isOnHub()) {
                assertTrue(m.files().stream().anyMatch(f -> f.endsWith(".safetensors")), m.name());
                assertTrue(m.files().stream().allMatch(f -> f.endsWith(".safetensors") || f.endsWith(".json")),
                        m.name());
            }
        }
    }

    @Test
    void pickleFilesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KnownModel.onHub("x", "dino", "org/x", "main",
                List.of("pytorch_model.bin"), KnownModel.GELU, "pickle"));
    }

    @Test
    void ensembleIsDreamSimsDinoClipOpenClip() {
        assertEquals(List.of("dino_vitb16", "clip_vitb16", "open_clip_vitb16"), KNOWN.get("ensemble").members());
    }

    @Test
    void openClipActivationFollowsTheTrainedWeights() {
        assertEquals(KnownModel.QUICK_GELU, KNOWN.get("open_clip_vitb32").activation());
        assertEquals(KnownModel.GELU, KNOWN.get("open_clip_vitb16").activation());
        assertEquals(KnownModel.QUICK_GELU, KNOWN.get("clip_vitb16").activation());
        assertEquals(KnownModel.GELU, KNOWN.get("dino_vitb16").activation());
    }

    @Test
    void synclrSaysWhereItsWeightsArePublished() {
        KnownModel synclr = KNOWN.get("synclr_vitb16");

        assertTrue(!synclr.isOnHub() && synclr.manualSource().contains("google-research/syn-rep-learn"));
        assertTrue(synclr.manualSource().contains("safetensors"));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        PerceptException e = assertThrows(PerceptException.class, () -> KNOWN.get("dino"));

        assertTrue(e.getMessage().startsWith("unknown model name dino (known: dino_vitb16, dinov2_vitb14,"),
                e.getMessage());
    }

    @Test
    void ensembleMembersMustBeKnown() {
        assertThrows(IllegalArgumentException.class,
                () -> new KnownModels(List.of(KnownModel.ensemble("e", List.of("ghost"), "nothing"))));
    }
}
