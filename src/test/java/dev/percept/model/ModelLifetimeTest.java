package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

/** A model outlives the memory scope it was loaded in, and many batches leave nothing behind. */
class ModelLifetimeTest {
    static final Path DINO = ParityTest.FIXTURES.resolve("dino_timm");

    @Test
    void weightsSurviveTheScopeTheyWereLoadedIn() {
        Engine.start(1);
        Backbone backbone;
        try (PointerScope loading = new PointerScope()) {
            backbone = ModelLoader.load(DINO.resolve("model"), null, Precision.FP32, ComputeDevice.CPU);
        }
        FloatArray pixels = Npy.readFloats(DINO.resolve("pixels.npy"));
        FloatArray expected = Npy.readFloats(DINO.resolve("tokens.npy"));
        try (backbone) {
            for (int batch = 0; batch < 50; batch++) {
                try (PointerScope scope = new PointerScope();
                        NoGradGuard noGrad = new NoGradGuard()) {
                    float[] cls = Tensors.toFloats(backbone.features(Tensors.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
                    assertEquals(expected.data()[0], cls[0], 1e-4);
                }
            }
        }
    }
}
