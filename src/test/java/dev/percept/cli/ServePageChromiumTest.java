package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.HeadlessChromium;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.search.QueryModel;
import dev.percept.search.SearchIndex;
import dev.percept.search.SearchServer;
import dev.percept.search.TestImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search page in Debian's headless Chromium, driven over the DevTools protocol: an image
 * dropped on the page shows results in both columns, and clicking a result searches from it.
 */
@Tag("browser")
class ServePageChromiumTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void dropAnImageSeeResultsClickOne() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path photos = dir.resolve("photos").toAbsolutePath();
        for (int i = 0; i < 6; i++) {
            TestImages.png(photos.resolve("img" + i + ".png"), 100 + i, 0);
        }
        List<SearchServer.Served> served = new ArrayList<>();
        for (String[] m : List.of(new String[] {"base", EmbedCommandTest.DINO}, new String[] {"other", EmbedCommandTest.CLIP})) {
            assertEquals(0, Cli.run("index", "--model", m[1], "--precision", "fp32", "--out", dir.resolve(m[0]).toString(),
                    photos.toString()).exitCode());
            SearchIndex index = SearchIndex.open(dir.resolve(m[0]));
            served.add(new SearchServer.Served(m[0], index, new QueryModel(index, new ModelStore(HubSettings.fromEnvironment(), KnownModels.DEFAULT))));
        }
        Process chromium = null;
        try (SearchServer server = SearchServer.start(served, SearchServer.Limits.DEFAULT, "127.0.0.1", 0)) {
            chromium = new ProcessBuilder(HeadlessChromium.command(dir.resolve("profile"), "--remote-debugging-port=0", "about:blank"))
                    .redirectErrorStream(true).start();
            try (DevTools page = DevTools.connect(chromium)) {
                page.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + server.port() + "/"));
                page.waitFor("document.querySelectorAll('.column').length", v -> v.asInt() == 2);

                String img = Base64.getEncoder().encodeToString(Files.readAllBytes(photos.resolve("img2.png")));
                page.eval("(() => { const bytes = Uint8Array.from(atob('" + img + "'), c => c.charCodeAt(0));"
                        + " const dt = new DataTransfer(); dt.items.add(new File([bytes], 'query.png', {type: 'image/png'}));"
                        + " document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));"
                        + " return true; })()");
                page.waitFor("document.querySelectorAll('.result').length", v -> v.asInt() == 12); // 6 per column
                assertEquals(photos.resolve("img2.png").toString(),
                        page.eval("document.querySelector('.column[data-index=base] .result').dataset.path").asText());
                assertEquals("0.0000", page.eval("document.querySelector('.result .distance').textContent").asText());
                page.waitFor("[...document.querySelectorAll('.result img')].every(i => i.complete && i.naturalWidth === 48)", JsonNode::asBoolean);

                String clicked = page.eval("(() => { const r = document.querySelectorAll('.column[data-index=base] .result')[3];"
                        + " r.click(); return r.dataset.path; })()").asText();
                page.waitFor("document.getElementById('status').textContent", v -> v.asText().equals("results for " + clicked));
                assertEquals(clicked, page.eval("document.querySelector('.column[data-index=other] .result').dataset.path").asText());
                assertEquals(clicked, page.eval("document.querySelector('.column[data-index=base] .result').dataset.path").asText());
            }
        } finally {
            if (chromium != null) {
                HeadlessChromium.stop(chromium);
            }
            served.forEach(s -> {
                s.model().close();
                s.index().close();
            });
        }
    }

    /** A minimal DevTools-protocol client for one page: calls by id, evaluates JavaScript, polls for a condition. */
    static final class DevTools implements AutoCloseable, WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static DevTools connect(Process chromium) throws Exception {
            BufferedReader err = new BufferedReader(new InputStreamReader(chromium.getInputStream(), StandardCharsets.UTF_8));
            String browserUrl = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String line; browserUrl == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
                int at = line.indexOf("ws://");
                if (line.startsWith("DevTools listening on") && at >= 0) {
                    browserUrl = line.substring(at).strip();
                }
            }
            assertTrue(browserUrl != null, "chromium printed no DevTools address");
            Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "chromium-output");
            drain.setDaemon(true);
            drain.start();
            URI browser = URI.create(browserUrl);
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://" + browser.getAuthority() + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            String pageUrl = null;
            for (JsonNode t : targets) {
                if (t.get("type").asText().equals("page")) {
                    pageUrl = t.get("webSocketDebuggerUrl").asText();
                }
            }
            assertTrue(pageUrl != null, "no page target: " + targets);
            DevTools d = new DevTools();
            d.socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), d).get(30, TimeUnit.SECONDS);
            return d;
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", JSON.valueToTree(params));
            socket.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
            JsonNode r = reply.get(60, TimeUnit.SECONDS);
            assertTrue(r.get("error") == null, method + ": " + r);
            return r.get("result");
        }

        JsonNode eval(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            assertTrue(r.get("exceptionDetails") == null, expression + ": " + r.get("exceptionDetails"));
            return r.get("result").path("value");
        }

        void waitFor(String expression, Predicate<JsonNode> condition) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode last = null;
            while (System.nanoTime() < deadline) {
                last = eval(expression);
                if (condition.test(last)) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("timed out waiting for " + expression + " (last: " + last + ", status: "
                    + eval("document.getElementById('status').textContent") + ", columns: "
                    + eval("[...document.querySelectorAll('.note')].map(n => n.textContent).join(' | ')") + ")");
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> reply = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
