package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An embedding job killed with SIGKILL mid-run finishes on the next run with the same rows. */
class EmbedKillTest {
    @TempDir
    Path dir;

    @Test
    void aKilledJobResumesToTheSameOutput() throws IOException, InterruptedException {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        byte[] photo = Files.readAllBytes(EmbedCommandTest.IMAGES.resolve("jpeg_photo.jpg"));
        byte[] png = Files.readAllBytes(EmbedCommandTest.IMAGES.resolve("png_rgb.png"));
        for (int i = 0; i < 200; i++) {
            Files.write(images.resolve(String.format("%03d.%s", i, i % 2 == 0 ? "jpg" : "png")), i % 2 == 0 ? photo : png);
        }
        List<String> args = List.of("embed", "--model", EmbedCommandTest.DINO, "--batch", "1", "--threads", "1",
                "--precision", "fp32", "--out", dir.resolve("feats.npy").toString(), images.toString());

        Process job = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("job.log").toFile()).start();
        Path jobFile = dir.resolve("feats.npy.partial.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long rows = 0;
        while (rows < 10 && job.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rows = rowsRecorded(jobFile);
        }
        assertTrue(job.isAlive(), "the job ended before it could be killed: " + Files.readString(dir.resolve("job.log")));
        job.destroyForcibly().waitFor();
        assertFalse(Files.exists(dir.resolve("feats.npy")));
        long kept = rowsRecorded(jobFile);
        assertTrue(kept >= 10 && kept < 200, "rows kept: " + kept);

        Cli resumed = Cli.run(args.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        Cli full = Cli.run("embed", "--model", EmbedCommandTest.DINO, "--batch", "7", "--precision", "fp32",
                "--out", dir.resolve("full.npy").toString(), images.toString());
        assertEquals(0, full.exitCode(), full.err());
        float[] expected = Npy.readFloats(dir.resolve("full.npy")).data();
        float[] actual = Npy.readFloats(dir.resolve("feats.npy")).data();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "value " + i);
        }
        assertFalse(Files.exists(jobFile));
    }

    private static long rowsRecorded(Path jobFile) {
        try {
            return new ObjectMapper().readTree(jobFile.toFile()).get("rows").asLong();
        } catch (IOException | RuntimeException e) {
            return 0; // not written yet
        }
    }

    private static List<String> command(List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }
}
