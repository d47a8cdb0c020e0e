package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
}
