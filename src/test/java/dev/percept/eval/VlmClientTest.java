package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.image.ImageDecoder;
import dev.percept.image.RgbImage;
import dev.percept.image.Thumbnails;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The chat-completions client against a loopback server: request format, answer matching, retries, errors. */
class VlmClientTest {
    static final Path IMAGES = Path.of("src/test/resources/images");
    static final List<String> CLASSES = List.of("cat", "cattle", "dog");

    private static VlmClient client(String url, String key) {
        return new VlmClient(new VlmClient.Settings(url, "tiny-vlm", key, Duration.ofSeconds(5), 3, Duration.ofMillis(10), 16));
    }

    private static RetrievalAugmented.Episode episode() {
        return new RetrievalAugmented.Episode(IMAGES.resolve("jpeg_photo.jpg"), List.of(
                new RetrievalAugmented.Example(IMAGES.resolve("png_rgb.png"), "dog", 0.9),
                new RetrievalAugmented.Example(IMAGES.resolve("png_gray.png"), "cattle", 0.8)), CLASSES);
    }

    @Test
    void sendsTheExamplesWithTheirLabelsThenTheQueryAsPngDataUrls() throws IOException {
        try (FakeVlm vlm = new FakeVlm((n, body) -> FakeVlm.Reply.answer("dog"))) {
            RetrievalAugmented.Answer answer = client(vlm.url() + "/v1", "sk-test").classify(episode());
            assertEquals(2, answer.label());
            FakeVlm.Request r = vlm.requests.get(0);
            assertEquals("/v1/chat/completions", r.path());
            assertEquals("Bearer sk-test", r.authorization());
            JsonNode body = r.body();
            assertEquals("tiny-vlm", body.get("model").asText());
            assertEquals(0, body.get("temperature").asInt());
            assertEquals(16, body.get("max_tokens").asInt());
            assertEquals("system", body.get("messages").get(0).get("role").asText());
            JsonNode content = body.get("messages").get(1).get("content");
            StringBuilder sequence = new StringBuilder();
            int images = 0;
            for (JsonNode part : content) {
                if (part.get("type").asText().equals("image_url")) {
                    String url = part.get("image_url").get("url").asText();
                    assertTrue(url.startsWith("data:image/png;base64,"), url);
                    byte[] png = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
                    var decoded = ImageIO.read(new ByteArrayInputStream(png));
                    assertTrue(Math.max(decoded.getWidth(), decoded.getHeight()) <= 16);
                    images++;
                    sequence.append("[image]");
                } else {
                    sequence.append(part.get("text").asText()).append('|');
                }
            }
            assertEquals(3, images); // k examples + the query
            String s = sequence.toString();
            assertTrue(s.indexOf("[image]label: dog|") < s.indexOf("[image]label: cattle|"), s);
            assertTrue(s.lastIndexOf("[image]") > s.indexOf("label: cattle"), s); // the query comes last
            assertTrue(s.contains("cat, cattle, dog"), s);
        }
    }

    @Test
    void noKeyMeansNoAuthorizationHeaderAndABareHostGetsV1() throws IOException {
        try (FakeVlm vlm = new FakeVlm((n, body) -> FakeVlm.Reply.answer("Cattle."))) {
            assertEquals(1, client(vlm.url(), null).classify(episode()).label());
            assertEquals("/v1/chat/completions", vlm.requests.get(0).path());
            assertEquals(null, vlm.requests.get(0).authorization());
        }
    }

    @Test
    void endpointAcceptsBaseUrlsWithOrWithoutV1() {
        assertEquals("http://h:8000/v1/chat/completions", VlmClient.endpoint("http://h:8000").toString());
        assertEquals("http://h:8000/v1/chat/completions", VlmClient.endpoint("http://h:8000/v1/").toString());
        assertEquals("http://h:8000/v1/chat/completions", VlmClient.endpoint("http://h:8000/v1/chat/completions").toString());
        assertEquals("https://h/v1beta/openai/chat/completions", VlmClient.endpoint("https://h/v1beta/openai/").toString());
        assertThrows(PerceptException.class, () -> VlmClient.endpoint("localhost:8000"));
    }

    @Test
    void answersMapExactlyThenIgnoringCaseThenByTheFirstClassNamed() {
        assertEquals(0, VlmClient.match("cat", CLASSES));
        assertEquals(2, VlmClient.match(" DOG.\n", CLASSES));
        assertEquals(1, VlmClient.match("It is cattle, not a cat", CLASSES)); // earliest name wins
        assertEquals(1, VlmClient.match("cattle", CLASSES));
        assertEquals(2, VlmClient.match("label: dog or cat", CLASSES));
        assertEquals(-1, VlmClient.match("I cannot tell", CLASSES));
    }

    @Test
    void retriesBusyRepliesWithBackoffThenSucceeds() throws IOException {
        try (FakeVlm vlm = new FakeVlm((n, body) -> switch (n) {
            case 0 -> new FakeVlm.Reply(503, "{\"error\": \"loading\"}", null);
            case 1 -> new FakeVlm.Reply(429, "{\"error\": \"slow down\"}", "0");
            default -> FakeVlm.Reply.answer("cat");
        })) {
            assertEquals(0, client(vlm.url(), null).classify(episode()).label());
            assertEquals(3, vlm.requests.size());
        }
    }

    @Test
    void aRequestThatTimesOutIsRetried() throws IOException {
        try (FakeVlm vlm = new FakeVlm((n, body) -> {
            if (n == 0) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return FakeVlm.Reply.answer("dog");
        })) {
            VlmClient client = new VlmClient(new VlmClient.Settings(vlm.url(), "m", null, Duration.ofMillis(300), 2,
                    Duration.ofMillis(10), 16));
            assertEquals(2, client.classify(episode()).label());
            assertEquals(2, vlm.requests.size());
        }
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheUrlAndTheLastStatus() throws IOException {
        try (FakeVlm vlm = new FakeVlm((n, body) -> new FakeVlm.Reply(502, "bad gateway", null))) {
            PerceptException e = assertThrows(PerceptException.class, () -> client(vlm.url(), null).classify(episode()));
            assertTrue(e.getMessage().contains(vlm.url() + "/v1/chat/completions") && e.getMessage().contains("HTTP 502"),
                    e.getMessage());
            assertEquals(3, vlm.requests.size());
        }
    }

    @Test
    void aClientErrorIsNotRetriedAndShowsTheServersMessage() throws IOException {
        try (FakeVlm vlm = new FakeVlm((n, body) -> new FakeVlm.Reply(404, "{\"error\": \"model tiny-vlm not found\"}", null))) {
            PerceptException e = assertThrows(PerceptException.class, () -> client(vlm.url(), null).classify(episode()));
            assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("model tiny-vlm not found"), e.getMessage());
            assertEquals(1, vlm.requests.size());
        }
    }

    @Test
    void aRefusedConnectionIsAnErrorNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, closed below: nothing listens there
        }
        String url = "http://127.0.0.1:" + port;
        PerceptException e = assertThrows(PerceptException.class, () -> client(url, null).classify(episode()));
        assertTrue(e.getMessage().contains("cannot connect to the VLM at " + url + "/v1/chat/completions"), e.getMessage());
    }

    @Test
    void imagesAreSentUprightAsTheModelSeesThem() throws IOException {
        // EXIF orientation 6 (rotate 90): the data URL holds the decoded, rotated pixels.
        Path rotated = IMAGES.resolve("jpeg_exif6.jpg");
        RgbImage decoded = ImageDecoder.decode(rotated);
        String url = Thumbnails.dataUrl(rotated, 4096);
        var png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertEquals(decoded.width(), png.getWidth());
        assertEquals(decoded.height(), png.getHeight());
        assertEquals(decoded.get(1, 2, 0), png.getRGB(1, 2) >> 16 & 0xff);
    }
}
