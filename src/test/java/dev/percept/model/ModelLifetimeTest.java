package dev.percept.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.percept.NativeMemory;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

/**
 * A model outlives the memory scope it was loaded in, many batches leave no native handle and no
 * resident growth behind (measured), and closing the model frees every handle it held.
 */
class ModelLifetimeTest {
    static final Path DINO = ParityTest.FIXTURES.resolve("dino_timm");

    @Test
    void weightsSurviveTheScopeTheyWereLoadedInAndBatchesLeaveNothingBehind() {
        Engine.start(1);
        NativeMemory unloaded = NativeMemory.now();
        Backbone backbone;
        try (PointerScope loading = new PointerScope()) {
            backbone = ModelLoader.load(DINO.resolve("model"), null, Precision.FP32, ComputeDevice.CPU);
        }
        FloatArray pixels = Npy.readFloats(DINO.resolve("pixels.npy"));
        FloatArray expected = Npy.readFloats(DINO.resolve("tokens.npy"));
        try (backbone) {
            Runnable batch = () -> {
                try (PointerScope scope = new PointerScope();
                        NoGradGuard noGrad = new NoGradGuard()) {
                    float[] cls = Tensors.toFloats(backbone.features(Placement.CPU.floats(pixels.data(), pixels.shape()), FeatureMode.CLS));
                    assertEquals(expected.data()[0], cls[0], 1e-4);
                }
            };
            for (int i = 0; i < 10; i++) {
                batch.run(); // warm-up
            }
            NativeMemory.assertSteady(batch, 25, 8L << 20, "50 batches");
        }
        // The resident size keeps what the first load brought in (libraries, classes, allocator pools).
        NativeMemory.now().assertNoHandlesLeftSince(unloaded, "loading, 60 batches and closing the model");
    }
}
