package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.search.QueryModel;
import dev.percept.search.SearchIndex;
import dev.percept.search.SearchServer;
import dev.percept.search.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept serve`'s API on two indexes of generated images (the tiny DINO and CLIP fixtures), including hostile input. */
class SearchServerTest {
    @TempDir
    static Path dir;

    static Path photos;
    static SearchServer server;
    static List<SearchServer.Served> served = new ArrayList<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void serve() {
        photos = dir.resolve("photos").toAbsolutePath();
        for (int i = 0; i < 6; i++) {
            TestImages.png(photos.resolve((i % 2 == 0 ? "even/" : "odd/") + "img" + i + ".png"), i, 0);
        }
        for (String[] m : List.of(new String[] {"dino", EmbedCommandTest.DINO}, new String[] {"clip", EmbedCommandTest.CLIP})) {
            Cli r = Cli.run("index", "--model", m[1], "--precision", "fp32", "--out", dir.resolve(m[0]).toString(), photos.toString());
            assertEquals(0, r.exitCode(), r.err());
            SearchIndex index = SearchIndex.open(dir.resolve(m[0]));
            served.add(new SearchServer.Served(m[0], index, new QueryModel(index, new ModelStore(HubSettings.fromEnvironment(), KnownModels.DEFAULT))));
        }
        server = SearchServer.start(served, new SearchServer.Limits(2L << 20, 4_000_000), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        served.forEach(s -> {
            s.model().close();
            s.index().close();
        });
    }

    static String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.port() + pathAndQuery;
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void uploadSimilarAndThumbnailAnswerInTheDocumentedShapes() throws Exception {
        String img3 = photos.resolve("odd/img3.png").toString();
        for (String index : List.of("dino", "clip")) {
            HttpResponse<byte[]> r = post("/api/search?k=4&index=" + index, Files.readAllBytes(Path.of(img3)));
            assertEquals(200, r.statusCode(), new String(r.body()));
            JsonNode results = json(r).get("results");
            assertEquals(4, results.size());
            assertEquals(img3, results.get(0).get("path").asText());
            assertEquals(0, results.get(0).get("distance").asDouble(), 1e-5);
            assertTrue(results.get(1).get("distance").asDouble() >= results.get(0).get("distance").asDouble());
        }
        JsonNode similar = json(get("/api/similar?k=6&index=clip&path=" + q(img3)));
        assertEquals(6, similar.get("results").size());
        assertEquals(img3, similar.get("results").get(0).get("path").asText());

        JsonNode under = json(get("/api/similar?k=6&path=" + q(img3) + "&under=" + q(photos.resolve("even").toString())));
        assertEquals(3, under.get("results").size());
        under.get("results").forEach(h -> assertTrue(h.get("path").asText().contains("/even/"), h.toString()));

        HttpResponse<byte[]> thumb = get("/api/thumbnail?path=" + q(img3));
        assertEquals(200, thumb.statusCode());
        assertEquals("image/png", thumb.headers().firstValue("content-type").orElse(""));
        assertEquals(48, ImageIO.read(new java.io.ByteArrayInputStream(thumb.body())).getWidth());

        JsonNode listed = json(get("/api/indexes"));
        assertEquals("dino", listed.get("indexes").get(0).get("name").asText());
        assertEquals(6, listed.get("indexes").get(1).get("images").asInt());
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("/api/search") && !html.contains("<script src") && !html.contains("<link"), "page must be self-contained");
    }

    @Test
    void hostileInputIsRefusedAndTheServerKeepsServing() throws Exception {
        String img1 = photos.resolve("odd/img1.png").toString();
        List<String> traversals = List.of("../../../../etc/passwd", "/etc/passwd", photos + "/../../../etc/passwd",
                photos.resolve("odd") + "/../odd/img1.png", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "C:\\Windows\\win.ini");
        for (String t : traversals) {
            assertStatus(404, get("/api/thumbnail?path=" + q(t)));
            assertStatus(404, get("/api/similar?path=" + q(t)));
        }
        assertStatus(400, get("/api/similar?index=" + q("../dino") + "&path=" + q(img1)));
        assertStatus(400, post("/api/search?index=" + q("../../etc") + "&k=3", Files.readAllBytes(Path.of(img1))));
        assertStatus(400, get("/api/thumbnail?index=" + q("../../dino") + "&path=" + q(img1)));
        assertStatus(400, get("/api/similar?under=" + q("../../etc") + "&path=" + q(img1)));
        assertStatus(400, post("/api/search?under=" + q("../../etc"), Files.readAllBytes(Path.of(img1))));
        assertEquals(0, json(post("/api/search?under=" + q(photos + "/../../etc"), Files.readAllBytes(Path.of(img1)))).get("results").size());
        assertStatus(400, get("/api/similar?k=" + q("../1") + "&path=" + q(img1)));
        assertStatus(400, get("/api/similar?under=" + q("/tmp/\0x") + "&path=" + q(img1)));
        assertStatus(400, get("/api/similar?k=abc&path=" + q(img1)));
        assertStatus(400, get("/api/similar?k=0&path=" + q(img1)));
        assertStatus(400, get("/api/thumbnail"));

        assertStatus(400, post("/api/search", "just some text, not an image".getBytes(StandardCharsets.UTF_8)));
        assertStatus(400, post("/api/search", new byte[0]));
        byte[] jpeg = Files.readAllBytes(EmbedCommandTest.IMAGES.resolve("jpeg_photo.jpg"));
        HttpResponse<byte[]> truncated = post("/api/search", Arrays.copyOf(jpeg, jpeg.length / 2));
        assertStatus(400, truncated);
        assertTrue(json(truncated).get("error").asText().startsWith("upload: "), new String(truncated.body()));
        HttpResponse<byte[]> bomb = post("/api/search", pngBomb(20_000, 20_000));
        assertStatus(413, bomb);
        assertTrue(json(bomb).get("error").asText().contains("20000x20000"), new String(bomb.body()));
        // 50 MB with its length declared: refused from the headers with a 413. The server answers
        // without reading the body and closes, so the client may see its write cut off instead.
        try {
            assertStatus(413, post("/api/search", new byte[50 << 20]));
        } catch (IOException cutOff) {
            // refused by closing mid-body; that the server still serves is checked next
        }

        HttpResponse<byte[]> fine = post("/api/search?k=2", Files.readAllBytes(Path.of(img1)));
        assertStatus(200, fine);
        assertEquals(img1, json(fine).get("results").get(0).get("path").asText());
    }

    private static void assertStatus(int expected, HttpResponse<byte[]> r) throws IOException {
        assertEquals(expected, r.statusCode(), r.uri() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        if (expected != 200) {
            assertTrue(json(r).path("error").isTextual(), new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    /** A valid 1-bit grayscale PNG of width x height zeros: a few kilobytes that decode to hundreds of megabytes. */
    static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[1 + (width + 7) / 8];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
