package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.io.FloatArray;
import dev.percept.io.SafetensorsWriter;
import dev.percept.model.VitConfig.Activation;
import dev.percept.model.VitConfig.Part;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DreamSim's CLIP and OpenCLIP files ({'state_dict': timm keys + pos_drop (ln_pre) + proj}) map
 * onto the model the same way as canonical weights given directly: pos_drop is the pre-norm,
 * proj is used as x @ proj, every LayerNorm has eps 1e-5, and the file name picks QuickGELU
 * (clip_*) or GELU (open_clip_*).
 */
class DreamSimClipLayoutTest {
    private static final VitConfig CONFIG = new VitConfig(64, 2, 1, 128, 8, 4, 0, 1e-5, Activation.GELU,
            VitConfig.FeedForward.PLAIN, EnumSet.of(Part.PRE_NORM, Part.QKV_BIAS, Part.PATCH_BIAS), 16,
            new VitConfig.Learned(VitConfig.PosEmbedResize.SCALE_WITH_OFFSET));

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    @ParameterizedTest
    @CsvSource({"clip_vitb16_pretrain.safetensors, QUICK_GELU", "open_clip_vitb32_pretrain.safetensors, GELU"})
    void dreamsimKeysLoadAsTheSameWeightsGivenDirectly(String file, Activation activation) {
        Map<String, FloatArray> dreamsim = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            RandomWeights.of(CONFIG, 3).forEach((key, t) -> {
                String name = key.startsWith("norm_pre.") ? "pos_drop." + key.substring("norm_pre.".length())
                        : key.equals("head.weight") ? "proj" : key;
                dreamsim.put(name, Tensors.floatArray(key.equals("head.weight") ? t.t().contiguous() : t));
            });
        }
        SafetensorsWriter.write(dir.resolve(file), dreamsim, Map.of());
        VitConfig expected = new VitConfig(CONFIG.hidden(), CONFIG.layers(), CONFIG.heads(), CONFIG.mlpHidden(),
                CONFIG.patch(), CONFIG.grid(), 0, 1e-5, activation, CONFIG.feedForward(), CONFIG.parts(),
                CONFIG.projectionDim(), CONFIG.positions());

        try (Backbone loaded = ModelLoader.load(Checkpoint.open(dir.resolve(file)), (LoraAdapter) null, null, Precision.FP32,
                        ComputeDevice.CPU);
                Backbone direct = ModelLoader.fromWeights("direct", expected, RandomWeights.of(CONFIG, 3),
                        loaded.input(), Precision.FP32, ComputeDevice.CPU);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            assertEquals("dreamsim-clip", loaded.layout());
            assertEquals(expected, loaded.config());
            assertEquals(FeatureMode.EMBEDDING, loaded.defaultFeatures());
            Tensors.seed(11);
            Tensor pixels = Placement.CPU.floats(new float[2 * 3 * 32 * 32], 2, 3, 32, 32).normal_();
            for (FeatureMode mode : new FeatureMode[] {FeatureMode.EMBEDDING, FeatureMode.CLS}) {
                float[] a = Tensors.toFloats(loaded.features(pixels, mode));
                float[] b = Tensors.toFloats(direct.features(pixels, mode));
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                assertTrue(worst == 0, mode + ": " + worst);
            }
        }
    }
}
