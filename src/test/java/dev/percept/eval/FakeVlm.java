package dev.percept.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A chat-completions server on loopback standing in for a vision-language model: it records each
 * request and answers it with what {@code replies} makes of its number (from 0) and its body.
 */
public final class FakeVlm implements AutoCloseable {
    @FunctionalInterface
    public interface Replies {
        Reply reply(int n, JsonNode body);
    }

    /** One reply: an HTTP status, the assistant's text (for 200) or the error body, and a Retry-After header. */
    public record Reply(int status, String text, String retryAfter) {
        public static Reply answer(String text) {
            return new Reply(200, text, null);
        }
    }

    /** A request as received: its path, Authorization header and JSON body. */
    public record Request(String path, String authorization, JsonNode body) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeVlm(Replies replies) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
            int n;
            synchronized (requests) {
                n = requests.size();
                requests.add(new Request(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"), body));
            }
            Reply reply = replies.reply(n, body);
            String out = reply.status() == 200
                    ? new ObjectMapper().createObjectNode().set("choices", new ObjectMapper().createArrayNode()
                            .add(new ObjectMapper().createObjectNode().set("message", new ObjectMapper().createObjectNode()
                                    .put("role", "assistant").put("content", reply.text())))).toString()
                    : reply.text();
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.setExecutor(pool); // concurrent requests, and a slow reply does not hold up the next
        server.start();
    }

    /** The base URL, without /v1. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
