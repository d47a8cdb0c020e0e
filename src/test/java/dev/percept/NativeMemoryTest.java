package dev.percept;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.align.LoraSpec;
import dev.percept.align.LoraTraining;
import dev.percept.console.Progress;
import dev.percept.eval.DenseProbe;
import dev.percept.eval.KnnClassifier;
import dev.percept.eval.LinearProbe;
import dev.percept.eval.RidgeRegression;
import dev.percept.image.Preprocessing;
import dev.percept.io.FloatArray;
import dev.percept.io.MappedFloats;
import dev.percept.io.Npy;
import dev.percept.model.Backbone;
import dev.percept.model.Ensemble;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.model.ModelLoader;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.DenseHead;
import dev.percept.tensor.Engine;
import dev.percept.tensor.FeatureMatrix;
import dev.percept.tensor.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many embedding batches, alignment steps and probe fits leave native memory where it was: no
 * native handle outlives its batch or step, and the resident size does not grow steadily (a
 * one-off settling of the allocator and the Java heap is allowed). A leak of one handle per batch fails the test, as the last case shows.
 */
class NativeMemoryTest {
    private static final Path MODEL = Path.of("src/test/resources/parity/dino_timm/model");
    /** Resident growth allowed in one half of a workload after its warm-up. */
    private static final long RESIDENT_SLACK = 8L << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    @Test
    void embeddingBatchesLeaveNothingBehind() {
        try (Backbone backbone = ModelLoader.load(MODEL, null, Precision.FP32, ComputeDevice.CPU)) {
            Preprocessing p = backbone.input().squash();
            Ensemble ensemble = new Ensemble(List.of(new Member(backbone, p, FeatureMode.CLS), new Member(backbone, p, FeatureMode.PATCH_MEAN)));
            Map<Preprocessing, float[]> pixels = Map.of(p, gaussian(4 * 3 * p.height() * p.width(), 1));
            for (int i = 0; i < 3; i++) {
                ensemble.embed(pixels, 4, FeatureNorm.DREAMSIM);
            }
            NativeMemory.assertSteady(() -> ensemble.embed(pixels, 4, FeatureNorm.DREAMSIM), 10, RESIDENT_SLACK,
                    "20 embedding batches");
        }
    }

    @Test
    void alignmentStepsLeaveNothingBehind() {
        try (Backbone backbone = ModelLoader.load(MODEL, null, Precision.FP32, ComputeDevice.CPU)) {
            Preprocessing p = backbone.input().squash();
            try (LoraTraining training = new LoraTraining(List.of(new Member(backbone, p, FeatureMode.CLS_PATCH)),
                    new LoraSpec(4, 8, 0.1, List.of("qkv", "fc1")), 0.9, 0.999, 0.01, 1, false)) {
                training.setTraining(true);
                Map<Preprocessing, float[]> pixels = Map.of(p, gaussian(6 * 3 * p.height() * p.width(), 2));
                float[] targets = {1, -1};
                Runnable step = () -> {
                    training.accumulate(pixels, targets, 0.05, 1);
                    training.step(1e-3);
                };
                step.run();
                NativeMemory.assertSteady(step, 2, RESIDENT_SLACK, "4 alignment steps");
            }
        }
    }

    @Test
    void probeFitsLeaveNothingBehind() {
        int[] y = new int[300];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        float[] x = gaussian(300 * 32, 3);
        for (int i = 0; i < y.length; i++) {
            x[i * 32 + y[i]] += 3;
        }
        double[] counts = new double[300];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = y[i] + x[i * 32 + 5];
        }
        Path tokens = dir.resolve("tokens.npy");
        Npy.write(tokens, new FloatArray(new long[] {20, 2, 2, 8}, gaussian(20 * 4 * 8, 4)));
        MappedFloats grids = Npy.map(tokens);
        float[][] depth = new float[20][];
        for (int i = 0; i < depth.length; i++) {
            depth[i] = gaussian(8 * 8, 10 + i);
        }
        Runnable fits = () -> {
            try (FeatureMatrix all = FeatureMatrix.of(x, 300, 32);
                    FeatureMatrix train = all.select(range(0, 200));
                    FeatureMatrix val = all.select(range(200, 250));
                    FeatureMatrix test = all.select(range(250, 300))) {
                int[] yTrain = java.util.Arrays.copyOfRange(y, 0, 200);
                int[] yVal = java.util.Arrays.copyOfRange(y, 200, 250);
                LinearProbe.train(train, yTrain, val, yVal, test, 3,
                        new LinearProbe.Settings(List.of(1e-2), List.of(0.0, 1e-3), 5, 2, 32, 1), Progress.silent());
                RidgeRegression.fit(train, java.util.Arrays.copyOfRange(counts, 0, 200), val,
                        java.util.Arrays.copyOfRange(counts, 200, 250), test, RidgeRegression.DEFAULT_PENALTIES);
                KnnClassifier.classify(train, yTrain, 3, test, 10, 0.07);
            }
            try (DenseHead head = DenseProbe.train(grids, depth, DenseProbe.Objective.LOG_DEPTH, 1,
                    new DenseProbe.Settings(2, 1e-3, 8, 4, 1), Progress.silent())) {
                for (int i = 0; i < 20; i++) {
                    head.predict(grids, i, 16, 16);
                }
            }
        };
        fits.run();
        NativeMemory.assertSteady(fits, 2, RESIDENT_SLACK, "4 rounds of probe fits");
    }

    @Test
    void aHandleLeftOpenPerBatchIsSeen() {
        NativeMemory before = NativeMemory.now();
        List<FeatureMatrix> forgotten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            forgotten.add(FeatureMatrix.of(new float[] {1, 2, 3, 4}, 2, 2)); // never closed
        }
        NativeMemory after = NativeMemory.now();
        assertTrue(after.handles() - before.handles() >= 10, "10 unclosed matrices, handles " + before + " -> " + after);
        forgotten.forEach(FeatureMatrix::close);
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static float[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
