package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept eval 2afc` on judgments whose score is known by construction. */
class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void twoAfcScoreIsTheMeanShareOfAgreeingJudges() throws IOException {
        Path images = EmbedCommandTest.IMAGES;
        Files.copy(images.resolve("png_rgb.png"), dir.resolve("a.png"));
        Files.copy(images.resolve("png_rgb.png"), dir.resolve("a_copy.png"));
        Files.copy(images.resolve("jpeg_photo.jpg"), dir.resolve("b.jpg"));
        Files.copy(images.resolve("jpeg_photo.jpg"), dir.resolve("b_copy.jpg"));
        // In each row one candidate is a copy of the reference (distance 0), so the model's choice
        // is known: credit 1 - p when it picks left, p when it picks right.
        Files.writeString(dir.resolve("judgments.csv"), String.join("\n",
                "ref,left,right,p",
                "a.png,a_copy.png,b.jpg,0.1", // picks left: 0.9
                "a.png,b.jpg,a_copy.png,0.7", // picks right: 0.7
                "b.jpg,a.png,b_copy.jpg,0.4", // picks right: 0.4
                ""));
        Path json = dir.resolve("score.json");
        Cli r = Cli.run("eval", "2afc", "--model", EmbedCommandTest.CLIP, "--precision", "fp32",
                "--data", dir.resolve("judgments.csv").toString(), "--feature-cache", dir.resolve("cache").toString(),
                "--out", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2afc "), r.out());
        JsonNode root = new ObjectMapper().readTree(json.toFile()); // the schema of every evaluation
        assertEquals("2afc", root.get("task").asText());
        assertEquals(dir.resolve("judgments.csv").toString(), root.get("dataset").asText());
        assertEquals(EmbedCommandTest.CLIP, root.get("model").asText());
        assertEquals("test", root.get("details").get("split").asText());
        assertEquals(4, root.get("details").get("images").asInt()); // each distinct image embedded once
        JsonNode all = root.get("metrics").get("2afc");
        assertTrue(all.get("higher_is_better").asBoolean());
        assertEquals(2.0 / 3.0, all.get("value").asDouble(), 1e-9);
        assertEquals(3, all.get("n").asInt());
        assertTrue(all.get("ci_low").asDouble() <= 2.0 / 3.0 && all.get("ci_high").asDouble() >= 2.0 / 3.0);
        assertTrue(all.get("ci_low").asDouble() >= 0.4 && all.get("ci_high").asDouble() <= 0.9);
        // percept report reads it like any other result.
        var data = dev.percept.report.ResultFiles.read(java.util.List.of(json));
        assertEquals("2afc", data.tables().get(0).task());
        assertEquals(2.0 / 3.0, data.tables().get(0).cells().get(EmbedCommandTest.CLIP).get("2afc").value(), 1e-9);
    }

    @Test
    void aMissingImageStopsBeforeAnyModelIsLoaded() throws IOException {
        Files.writeString(dir.resolve("j.csv"), "ref,left,right,p\nr.png,a.png,b.png,0.5\n");
        Cli r = Cli.run("eval", "2afc", "--model", dir.resolve("no-such-model").toString(), "--data", dir.resolve("j.csv").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("image(s) missing") && r.err().contains("j.csv, line 2"), r.err());
    }
}
