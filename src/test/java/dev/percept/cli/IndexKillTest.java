package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.search.SearchIndex;
import dev.percept.search.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index run killed with SIGKILL mid-run opens at its last commit, and the next run completes it. */
class IndexKillTest {
    @TempDir
    Path dir;

    @Test
    void aKilledRunLeavesAnOpenableIndexThatTheNextRunCompletes() throws IOException, InterruptedException {
        Path photos = dir.resolve("photos");
        int n = 60;
        for (int i = 0; i < n; i++) {
            TestImages.png(photos.resolve(String.format("%03d.png", i)), i, 0);
        }
        Path index = dir.resolve("index");
        List<String> args = List.of("index", "--model", EmbedCommandTest.DINO, "--batch", "1", "--threads", "1",
                "--precision", "fp32", "--out", index.toString(), photos.toString());
        Process job = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("job.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int committed = 0;
        while (committed < 3 && job.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            committed = committedImages(index);
        }
        assertTrue(job.isAlive(), "the run ended before it could be killed: " + Files.readString(dir.resolve("job.log")));
        job.destroyForcibly().waitFor();

        int kept = committedImages(index);
        assertTrue(kept >= 3 && kept < n, "images kept: " + kept);
        Cli resumed = Cli.run(args.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains(n + " images (" + (n - kept) + " added, 0 changed, " + kept + " unchanged, 0 removed"),
                resumed.out());
        try (SearchIndex done = SearchIndex.open(index)) {
            assertEquals(n, done.size());
        }
    }

    private static int committedImages(Path index) {
        try (SearchIndex opened = SearchIndex.open(index)) {
            return opened.size();
        } catch (RuntimeException e) {
            return 0; // no commit yet
        }
    }

    private static List<String> command(List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }
}
