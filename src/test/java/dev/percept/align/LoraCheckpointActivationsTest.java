package dev.percept.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.image.Preprocessing;
import dev.percept.io.FloatArray;
import dev.percept.model.Backbone;
import dev.percept.model.Ensemble;
import dev.percept.model.FeatureMode;
import dev.percept.model.Member;
import dev.percept.model.ModelLoader;
import dev.percept.tensor.Adam;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.HingeStep;
import dev.percept.tensor.Parameters;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Activation checkpointing changes memory, not results: a few LoRA steps (dropout on, so the
 * recomputed blocks must draw the same masks) end with the same adapter with and without it.
 */
class LoraCheckpointActivationsTest {
    private static final int STEPS = 3;
    /** float32; measured: bitwise equal (the same kernels run on the same values in the same order). */
    private static final double TOLERANCE = 1e-6;

    private record Run(Map<String, FloatArray> adapter, double[] losses) {}

    @Test
    void checkpointedStepsEndWithTheSameAdapter() {
        Engine.start(2);
        Run plain = train(false);
        Run checkpointed = train(true);
        assertArrayEquals(plain.losses(), checkpointed.losses(), TOLERANCE);
        assertEquals(plain.adapter().keySet(), checkpointed.adapter().keySet());
        double moved = 0;
        for (String name : plain.adapter().keySet()) {
            float[] a = plain.adapter().get(name).data();
            float[] b = checkpointed.adapter().get(name).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], TOLERANCE, name + "[" + i + "]");
                if (name.contains("lora_B")) {
                    moved = Math.max(moved, Math.abs(a[i])); // B starts at zero: the steps did update it
                }
            }
        }
        assertTrue(moved > 1e-3, "the steps barely changed the adapter: " + moved);
    }

    private static Run train(boolean checkpointActivations) {
        try (Backbone model = ModelLoader.load(Path.of(AlignFixtures.MODEL), null, Precision.FP32, ComputeDevice.CPU)) {
            Preprocessing p = model.input().squash();
            Tensors.seed(7);
            Parameters params = LoraWeights.attach(model.transformer(), new LoraSpec(4, 8, 0.2, List.of("qkv", "fc2")))
                    .parameters();
            model.transformer().setTraining(true);
            Ensemble ensemble = new Ensemble(List.of(new Member(model, p, FeatureMode.CLS_PATCH)));
            float[] targets = {1, -1, 1};
            float[] pixels = new float[3 * targets.length * 3 * p.height() * p.width()];
            Random random = new Random(11);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextGaussian();
            }
            double[] losses = new double[STEPS];
            try (Adam adam = new Adam(params, 0.5, 0.999, 0)) {
                for (int s = 0; s < STEPS; s++) {
                    Tensors.seed(100 + s); // dropout draws, as Aligner seeds each micro-batch
                    losses[s] = HingeStep.backward(ensemble.forward(Map.of(p, pixels), 3 * targets.length, checkpointActivations),
                            targets, 0.05, 1.0);
                    adam.step(1e-2);
                }
            }
            return new Run(params.values(), losses);
        }
    }
}
