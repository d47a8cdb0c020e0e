package dev.percept.bench;

import dev.percept.align.LoraSpec;
import dev.percept.align.LoraTraining;
import dev.percept.image.Preprocessing;
import dev.percept.model.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Alignment training speed: full LoRA steps (forward of 3 images per triplet, hinge loss,
 * backward, Adam) on ready pixels, as {@code percept align} runs them, and the peak memory.
 */
public final class AlignBenchmark {
    private AlignBenchmark() {}

    public record Result(int tripletsPerStep, int threads, String precision, long trainableParameters,
            double secondsPerStep, double tripletsPerSecond, long peakRssBytes) {}

    public static Result run(List<Member> members, LoraSpec lora, int batch, int threads, double seconds,
            boolean checkpointActivations) {
        Map<Preprocessing, float[]> input = new HashMap<>();
        Random random = new Random(1234);
        for (Member m : members) {
            Preprocessing p = m.preprocessing();
            input.computeIfAbsent(p, k -> {
                float[] x = new float[3 * batch * 3 * k.height() * k.width()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                return x;
            });
        }
        float[] targets = new float[batch];
        for (int i = 0; i < batch; i++) {
            targets[i] = i % 2 == 0 ? 1 : -1;
        }
        try (LoraTraining training = new LoraTraining(members, lora, 0.5, 0.999, 0, 1234, checkpointActivations)) {
            training.setTraining(true);
            step(training, input, targets); // warm-up: oneDNN kernels, first-touch pages
            long start = System.nanoTime();
            int steps = 0;
            do {
                step(training, input, targets);
                steps++;
            } while (System.nanoTime() - start < seconds * 1e9 || steps < 2);
            double perStep = (System.nanoTime() - start) / 1e9 / steps;
            return new Result(batch, threads, members.get(0).backbone().precision().toString(),
                    training.parameterCount(), perStep, batch / perStep, PeakMemory.bytes());
        }
    }

    private static void step(LoraTraining training, Map<Preprocessing, float[]> input, float[] targets) {
        training.accumulate(input, targets, 0.05, 1.0);
        training.step(3e-4);
    }
}
