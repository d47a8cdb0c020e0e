package dev.percept.io.torch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.percept.PerceptException;
import dev.percept.io.SafetensorsDtype;
import dev.percept.io.StoredTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flips, overwrites and truncates bytes of the torch.save fixtures with a seeded RNG for a bounded
 * time ({@code -Dpercept.fuzz.seconds}, 10 by default). Each mutant must read, or fail with a
 * {@link PerceptException}, within a per-case timeout: any other exception or error (an index out
 * of bounds, a stack or heap overflow) fails the test, naming the seed and case to replay.
 */
class TorchFileFuzzTest {
    private static final List<String> SEEDS = List.of(
            "tensors/zip.pth", "tensors/zip64.pth", "tensors/legacy.pth", "tensors/wrapped_model.pt", "tensors/low_precision.pth",
            "vit/dino_checkpoint.pth", "vit/views.pth", "vit/legacy.pth", "vit/adapter_bin/adapter_model.bin");
    private static final long SEED = Long.getLong("percept.fuzz.seed", 9L);
    private static final long CASE_TIMEOUT_SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void mutantsOnlyEverFailWithPerceptException() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("percept.fuzz.seconds", "10"));
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Random random = new Random(SEED);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        int cases = 0;
        int refused = 0;
        try {
            while (System.nanoTime() < deadline) {
                String seed = SEEDS.get(random.nextInt(SEEDS.size()));
                byte[] bytes = mutate(Files.readAllBytes(TorchFileTest.FIXTURES.resolve(seed)), random);
                Path file = dir.resolve("case" + cases + ".pth");
                Files.write(file, bytes);
                String key = seed.contains("dino") ? "teacher" : null;
                Future<Boolean> outcome = worker.submit(() -> readEverything(file, key));
                try {
                    if (!outcome.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        refused++;
                    }
                } catch (TimeoutException e) {
                    outcome.cancel(true);
                    fail("case " + cases + " (seed " + SEED + ", from " + seed + ") did not finish in " + CASE_TIMEOUT_SECONDS + " s");
                } catch (ExecutionException e) {
                    throw new AssertionError("case " + cases + " (seed " + SEED + ", from " + seed + ") threw " + e.getCause(), e.getCause());
                }
                Files.delete(file);
                cases++;
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.printf("torch fuzz: %d mutants in %.0f s, %d refused with PerceptException%n", cases, seconds, refused);
        assertTrue(cases > 50 && refused > 0 && refused < cases, cases + " cases, " + refused + " refused");
    }

    /** True if the mutant read completely, false if it was refused with a PerceptException. */
    private static boolean readEverything(Path file, String key) {
        try {
            for (StoredTensor t : TorchFile.read(file).stateDict(key).values()) {
                if (t.dtype() == SafetensorsDtype.F32 || t.dtype() == SafetensorsDtype.F16 || t.dtype() == SafetensorsDtype.BF16) {
                    t.toFloats();
                }
            }
            return true;
        } catch (PerceptException e) {
            return false;
        }
    }

    private static byte[] mutate(byte[] original, Random random) throws IOException {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b[at] = new byte[] {0, (byte) 0xFF, 0x7F, (byte) 0x80}[random.nextInt(4)];
                default -> { } // no change at this position
            }
        }
        if (random.nextInt(4) == 0) {
            return Arrays.copyOf(b, random.nextInt(b.length));
        }
        return b;
    }
}
