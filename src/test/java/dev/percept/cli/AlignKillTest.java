package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.align.AlignFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alignment run killed with SIGKILL and resumed ends with the same adapters, byte for byte, as
 * a run that was never interrupted.
 */
class AlignKillTest {
    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesToTheSameAdapterBytes() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        AlignFixtures.colourTriplets(data, 320, 0, 11);
        List<String> common = List.of("--model", AlignFixtures.MODEL, "--data", data.resolve("train.csv").toString(),
                "--epochs", "3", "--batch", "16", "--lr", "1e-3", "--threads", "2", "--checkpoint-every", "0");
        Path killed = dir.resolve("killed");
        List<String> args = new ArrayList<>(List.of("align", "--out", killed.toString()));
        args.addAll(common);

        Process job = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("job.log").toFile()).start();
        Path metrics = killed.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(metrics) < 25 && job.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(job.isAlive(), "the run ended before it could be killed: " + Files.readString(dir.resolve("job.log")));
        job.destroyForcibly().waitFor();
        assertFalse(Files.exists(killed.resolve("adapter")), "killed in epoch 2, before the end");
        assertTrue(Files.exists(killed.resolve("checkpoint.safetensors")));

        List<String> resume = new ArrayList<>(args);
        resume.add("--resume");
        Cli resumed = Cli.run(resume.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming after step"), resumed.out());

        Path whole = dir.resolve("whole");
        List<String> uninterrupted = new ArrayList<>(List.of("align", "--out", whole.toString()));
        uninterrupted.addAll(common);
        Cli full = Cli.run(uninterrupted.toArray(String[]::new));
        assertEquals(0, full.exitCode(), full.err());

        for (String file : List.of("adapter/adapter_model.safetensors", "adapter/adapter_config.json",
                "epochs/1/adapter/adapter_model.safetensors", "epochs/2/adapter/adapter_model.safetensors",
                "epochs/3/adapter/adapter_model.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(file)), Files.readAllBytes(killed.resolve(file)), file);
        }
        assertEquals(lines(whole.resolve("metrics.jsonl")), lines(metrics), "no step is logged twice or lost");
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> command(List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }
}
