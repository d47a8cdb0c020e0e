package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** `percept bench` reports throughput and peak memory, as text and as one JSON line. */
class BenchCommandTest {
    @Test
    void reportsNetworkAndEndToEndThroughputAndPeakMemory() throws IOException {
        Cli r = Cli.run("bench", "embed", "--model", EmbedCommandTest.DINO, "--batch", "2", "--seconds", "0.05",
                "--precision", "fp32", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("network only:") && r.out().contains("with decode+preprocess:"), r.out());
        String jsonLine = r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(jsonLine);
        assertTrue(json.get("images_per_s").asDouble() > 0);
        assertTrue(json.get("end_to_end_images_per_s").asDouble() > 0);
        assertTrue(json.get("peak_rss_mb").asDouble() > 50);
        assertEquals("fp32", json.get("precision").asText());
        assertEquals(1, json.get("threads").asInt());
        // The ceilings are measured in the same run, and the rate is read as a share of them.
        double flops = json.get("gflop_per_image").asDouble();
        double ceiling = json.get("ceiling_gflops_2048").asDouble();
        assertTrue(ceiling > 1 && json.get("ceiling_gflops_block_shapes").asDouble() > 0.1, jsonLine);
        assertEquals(json.get("images_per_s").asDouble() * flops / ceiling, json.get("share_of_2048_ceiling").asDouble(),
                1e-3 + 0.01 * json.get("share_of_2048_ceiling").asDouble());
        assertTrue(r.out().contains("% of the 2048^3 ceiling"), r.out());
    }

    @Test
    void profileTimesEachOperationOfABlock() {
        Cli r = Cli.run("bench", "embed", "--model", EmbedCommandTest.DINO, "--batch", "2", "--seconds", "0.05",
                "--precision", "fp32", "--threads", "1", "--profile");
        assertEquals(0, r.exitCode(), r.err());
        for (String op : new String[] {"layernorm (x2)", "qkv linear", "attention softmax", "fc2 linear", "between the operations"}) {
            assertTrue(r.out().contains(op), r.out());
        }
    }

    @Test
    void alignReportsTripletsPerSecondAndPeakMemory() throws IOException {
        Cli r = Cli.run("bench", "align", "--model", EmbedCommandTest.DINO, "--batch", "2", "--seconds", "0.05",
                "--precision", "fp32", "--threads", "1", "--lora-r", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("triplets/s:") && r.out().contains("2 triplets per step"), r.out());
        // LoRA r 4 on qkv of 2 blocks of width 64: (4 x 64 + 192 x 4) per block.
        assertTrue(r.out().contains(" 2048 LoRA parameters"), r.out());
        JsonNode json = new ObjectMapper().readTree(r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertTrue(json.get("triplets_per_s").asDouble() > 0);
        assertEquals(2.0 / json.get("seconds_per_step").asDouble(), json.get("triplets_per_s").asDouble(), 0.01 * json.get("triplets_per_s").asDouble());
        assertTrue(json.get("peak_rss_mb").asDouble() > 50);
    }

    @Test
    void refusesAnEnsemble() {
        Cli r = Cli.run("bench", "embed", "--model", EmbedCommandTest.DINO + "," + EmbedCommandTest.CLIP, "--seconds", "0.05");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not an ensemble"), r.err());
    }

    @Test
    void probesReportsSecondsAndAccuracyAndWritesTheFeaturesForABaseline(@TempDir Path dir) throws IOException {
        Cli r = Cli.run("bench", "probes", "--rows", "2000", "--dim", "32", "--classes", "5", "--epochs", "3",
                "--threads", "1", "--write", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertTrue(json.get("knn_s").asDouble() > 0 && json.get("linear_s").asDouble() > 0);
        assertTrue(json.get("knn_accuracy").asDouble() > 0.35, r.out()); // clusters, not noise: chance is 0.2
        assertTrue(json.get("linear_accuracy").asDouble() > 0.35, r.out());
        assertArrayEquals(new long[] {2000, 32}, Npy.readFloats(dir.resolve("train_x.npy")).shape());
        assertArrayEquals(new long[] {200}, Npy.readFloats(dir.resolve("test_y.npy")).shape());
    }
}
