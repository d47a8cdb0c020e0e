package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.image.Normalization;
import dev.percept.image.ResampleFilter;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** bf16 at full ViT-B/16 size stays within cosine 0.999 of float32 (1 GB of weights: slow). */
@Tag("slow")
class PrecisionTest {
    @Test
    void bf16FeaturesOfAVitB16StayWithinCosine0999OfFloat32() {
        Engine.start(0);
        VitConfig config = RandomWeights.vitB16();
        InputSpec input = new InputSpec(224, 256, ResampleFilter.BICUBIC, Normalization.IMAGENET);
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard();
                Backbone fp32 = ModelLoader.fromWeights("b16", config, RandomWeights.of(config, 7), input, Precision.FP32, ComputeDevice.CPU);
                Backbone bf16 = ModelLoader.fromWeights("b16", config, RandomWeights.of(config, 7), input, Precision.BF16, ComputeDevice.CPU)) {
            torch.manual_seed(3);
            Tensor pixels = torch.randn(4, 3, 224, 224);
            for (FeatureMode mode : new FeatureMode[] {FeatureMode.CLS, FeatureMode.CLS_PATCH}) {
                float[] a = Tensors.toFloats(fp32.features(pixels, mode));
                float[] b = Tensors.toFloats(bf16.features(pixels, mode));
                int dim = a.length / 4;
                for (int img = 0; img < 4; img++) {
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int i = img * dim; i < (img + 1) * dim; i++) {
                        dot += a[i] * b[i];
                        na += a[i] * a[i];
                        nb += b[i] * b[i];
                    }
                    double cos = dot / Math.sqrt(na * nb);
                    System.out.printf("ViT-B/16 %s image %d: bf16 vs fp32 cosine %.6f%n", mode.cliName(), img, cos);
                    assertTrue(cos > 0.999, mode + " image " + img + ": cosine " + cos);
                }
            }
        }
    }
}
