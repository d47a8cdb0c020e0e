package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** `percept bench embed` reports both throughputs and peak memory, as text and as one JSON line. */
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
    void refusesAnEnsemble() {
        Cli r = Cli.run("bench", "embed", "--model", EmbedCommandTest.DINO + "," + EmbedCommandTest.CLIP, "--seconds", "0.05");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not an ensemble"), r.err());
    }
}
