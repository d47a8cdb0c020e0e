package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.eval.FakeVlm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept eval rag` on class folders whose nearest neighbours are known by construction. */
class RagCommandTest {
    static final Path IMAGES = EmbedCommandTest.IMAGES;

    @TempDir
    Path dir;

    Path data;

    /**
     * Each support class holds three copies of one picture, so a query that copies a picture has
     * exactly those three as its neighbours (similarity 1). Queries: a cat picture filed as cat, a
     * dog picture filed as dog, and a dog picture filed as cat (so retrieval gets it wrong).
     */
    @BeforeEach
    void classFolders() throws IOException {
        data = dir.resolve("data");
        copies(IMAGES.resolve("png_rgb.png"), data.resolve("train/cat"), "c0.png", "c1.png", "c2.png");
        copies(IMAGES.resolve("jpeg_photo.jpg"), data.resolve("train/dog"), "d0.jpg", "d1.jpg", "d2.jpg");
        copies(IMAGES.resolve("png_gray.png"), data.resolve("train/owl"), "o0.png", "o1.png", "o2.png");
        copies(IMAGES.resolve("png_rgb.png"), data.resolve("test/cat"), "q0.png");
        copies(IMAGES.resolve("jpeg_photo.jpg"), data.resolve("test/cat"), "q1.jpg");
        copies(IMAGES.resolve("jpeg_photo.jpg"), data.resolve("test/dog"), "q2.jpg");
    }

    private static void copies(Path source, Path folder, String... names) throws IOException {
        Files.createDirectories(folder);
        for (String name : names) {
            Files.copy(source, folder.resolve(name));
        }
    }

    private Cli rag(String... extra) {
        String[] base = {"eval", "rag", "--model", EmbedCommandTest.DINO, "--precision", "fp32", "--data", data.toString(),
            "--feature-cache", dir.resolve("cache").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @Test
    void withoutAVlmTheRetrievedLabelsVote() throws IOException {
        Path out = dir.resolve("rag.json");
        Cli r = rag("--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals("rag", json.get("task").asText());
        assertEquals(EmbedCommandTest.DINO, json.get("model").asText());
        assertTrue(json.get("adapter").isNull());
        assertEquals("default", json.get("features").asText()); // no --features: each member's own
        assertTrue(json.get("head").isNull());
        assertEquals("vote, k=3", json.get("setting").asText());
        JsonNode accuracy = json.get("metrics").get("accuracy");
        assertEquals(2.0 / 3.0, accuracy.get("value").asDouble(), 1e-9);
        // Nothing varies between seeds with every query and every support image: a zero-width interval.
        assertEquals(2.0 / 3.0, accuracy.get("ci_low").asDouble(), 1e-9);
        assertEquals(2.0 / 3.0, accuracy.get("ci_high").asDouble(), 1e-9);
        assertTrue(accuracy.get("higher_is_better").asBoolean());
        assertEquals(5, json.get("per_seed").size());
        assertEquals(0, json.get("unparsed").asInt());
        assertTrue(r.out().matches("(?s).*\\naccuracy +5 +0\\.6667 +\\[0\\.6667, 0\\.6667\\].*"), r.out());
    }

    @Test
    void seedsDrawQueriesAndTheIntervalCoversTheirMean() throws IOException {
        Path out = dir.resolve("rag.json");
        Cli r = rag("--queries", "1", "--shots", "3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        double sum = 0;
        for (JsonNode s : json.get("per_seed")) {
            assertEquals(1, s.get("queries").asInt());
            assertEquals(9, s.get("support").asInt());
            double a = s.get("accuracy").asDouble();
            assertTrue(a == 0.0 || a == 1.0, s.toString());
            sum += a;
        }
        JsonNode accuracy = json.get("metrics").get("accuracy");
        assertEquals(sum / 5, accuracy.get("value").asDouble(), 1e-9);
        assertTrue(accuracy.get("ci_low").asDouble() <= sum / 5 && accuracy.get("ci_high").asDouble() >= sum / 5);
    }

    @Test
    void aVlmGetsTheNearestExamplesAndItsAnswersAreScored() throws IOException {
        Path out = dir.resolve("rag.json");
        // A perfect in-context learner that names the examples' label, but has no idea about cats: q0 (a cat
        // picture) is unparsed, q1 (a dog picture filed as cat) wrong, q2 (a dog picture) right.
        try (FakeVlm vlm = new FakeVlm((n, body) -> FakeVlm.Reply.answer(body.toString().contains("label: cat") ? "no idea" : "Dog."))) {
            Cli r = rag("--k", "2", "--vlm-url", vlm.url() + "/v1", "--vlm-model", "tiny-vlm", "--vlm-image-size", "24",
                    "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(15, vlm.requests.size()); // 3 queries x 5 seeds
            for (FakeVlm.Request request : vlm.requests) {
                assertEquals("tiny-vlm", request.body().get("model").asText());
                JsonNode content = request.body().get("messages").get(1).get("content");
                int images = 0;
                StringBuilder text = new StringBuilder();
                for (JsonNode part : content) {
                    if (part.get("type").asText().equals("image_url")) {
                        images++;
                        assertTrue(part.get("image_url").get("url").asText().startsWith("data:image/png;base64,"));
                    } else {
                        text.append(part.get("text").asText()).append('\n');
                    }
                }
                assertEquals(3, images); // k = 2 examples + the query
                // Both examples are copies of the query's picture, so they share one label.
                String t = text.toString();
                int labels = t.split("label: cat\n", -1).length - 1 + t.split("label: dog\n", -1).length - 1;
                assertEquals(2, labels, t);
                assertTrue(!t.contains("label: owl"), t);
            }
        }
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(5, json.get("unparsed").asInt());
        for (JsonNode s : json.get("per_seed")) {
            assertEquals(1, s.get("unparsed").asInt());
            assertEquals(1, s.get("correct").asInt());
        }
        assertEquals(1.0 / 3.0, json.get("metrics").get("accuracy").get("value").asDouble(), 1e-9);
        assertTrue(json.get("unparsed_answers").get(0).asText().endsWith("q0.png: no idea"), json.toString());
        assertTrue(json.get("classifier").asText().contains("tiny-vlm"));
    }

    @Test
    void anUnreachableVlmIsAnErrorNamingItsUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli r = rag("--vlm-url", "http://127.0.0.1:" + port, "--vlm-model", "m");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: cannot connect to the VLM at http://127.0.0.1:" + port + "/v1/chat/completions"),
                r.err());
    }

    @Test
    void aQueryClassMissingFromTheSupportSetIsNamed() throws IOException {
        copies(IMAGES.resolve("png_rgb.png"), data.resolve("test/emu"), "e.png");
        Cli r = rag();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("class 'emu' has no images in the support set"), r.err());
    }
}
