package dev.percept.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.image.Thumbnails;
import dev.percept.io.JsonFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A vision-language model behind an OpenAI-compatible chat-completions endpoint, asked to name a
 * query image's class after k labelled examples. Requests are greedy (temperature 0) and short
 * (16 tokens); images go as PNG data URLs. 429 and 5xx replies and timeouts are retried with
 * exponential backoff (a Retry-After header wins when present).
 */
public final class VlmClient implements RetrievalAugmented.Classifier {
    static final String SYSTEM_PROMPT = "You are an image classifier. You are shown labelled example images, then a query "
            + "image. Reply with the label of the query image only: exactly one of the allowed class names, nothing else.";
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /**
     * @param backoff the wait before the first retry, doubling with each further one
     * @param imageSide longer side of the images sent, in pixels (larger images are shrunk)
     */
    public record Settings(String url, String model, String apiKey, Duration timeout, int attempts, Duration backoff,
            int imageSide) {}

    private final Settings settings;
    private final URI endpoint;
    private final HttpClient http;

    public VlmClient(Settings settings) {
        this.settings = settings;
        this.endpoint = endpoint(settings.url());
        // HTTP/1.1: the JDK's default would ask plain-http servers for an h2c upgrade, which some refuse.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * The chat-completions address for a base URL: a URL already ending in {@code /chat/completions}
     * is used as is; one with no path gets {@code /v1}; then {@code /chat/completions} is appended. So
     * {@code http://host:8000}, {@code http://host:8000/v1} and {@code .../v1/chat/completions} all
     * reach {@code http://host:8000/v1/chat/completions}.
     */
    static URI endpoint(String url) {
        URI base;
        try {
            base = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new PerceptException("--vlm-url " + url + " is not a URL: " + e.getMessage());
        }
        if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
            throw new PerceptException("--vlm-url must be an http(s) URL with a host, got " + url);
        }
        String s = base.toString().replaceAll("/+$", "");
        if (s.endsWith("/chat/completions")) {
            return URI.create(s);
        }
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return URI.create(s + (path.isEmpty() ? "/v1" : "") + "/chat/completions");
    }

    /** Fails fast, before any embedding, when nothing accepts connections at the endpoint's host and port. */
    public void checkReachable() {
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : endpoint.getScheme().equals("https") ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), port), 10_000);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private PerceptException unreachable(IOException e) {
        return new PerceptException("cannot connect to the VLM at " + endpoint + " (" + describe(e)
                + "); is the server running? (--vlm-url)", e);
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public RetrievalAugmented.Answer classify(RetrievalAugmented.Episode episode) {
        String content = send(request(episode));
        return new RetrievalAugmented.Answer(match(content, episode.classes()), content);
    }

    /** The request body: system prompt, then one user turn with each example image and its label, then the query. */
    ObjectNode request(RetrievalAugmented.Episode episode) {
        ObjectNode body = JsonFiles.mapper().createObjectNode();
        body.put("model", settings.model());
        body.put("temperature", 0);
        body.put("max_tokens", 16);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
        ObjectNode user = messages.addObject().put("role", "user");
        ArrayNode content = user.putArray("content");
        String names = String.join(", ", episode.classes());
        text(content, "Allowed class names: " + names + ". Here are " + episode.examples().size() + " labelled examples.");
        for (RetrievalAugmented.Example e : episode.examples()) {
            image(content, Thumbnails.dataUrl(e.image(), settings.imageSide()));
            text(content, "label: " + e.label());
        }
        text(content, "Query image:");
        image(content, Thumbnails.dataUrl(episode.query(), settings.imageSide()));
        text(content, "What is the label of the query image? Answer with exactly one of: " + names + ".");
        return body;
    }

    private static void text(ArrayNode content, String text) {
        content.addObject().put("type", "text").put("text", text);
    }

    private static void image(ArrayNode content, String dataUrl) {
        content.addObject().put("type", "image_url").putObject("image_url").put("url", dataUrl);
    }

    /** POSTs the body, retrying what a busy server may answer later; returns choices[0].message.content. */
    String send(ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (settings.apiKey() != null && !settings.apiKey().isEmpty()) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        String lastFailure = "";
        for (int attempt = 1; ; attempt++) {
            Duration wait = settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
            try {
                HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = reply.statusCode();
                if (status == 200) {
                    return content(reply.body());
                }
                lastFailure = "HTTP " + status + ": " + excerpt(reply.body());
                if (status != 429 && status < 500) {
                    throw new PerceptException("the VLM at " + endpoint + " refused the request, " + lastFailure);
                }
                wait = reply.headers().firstValue("Retry-After").map(VlmClient::seconds).orElse(wait);
            } catch (HttpTimeoutException e) {
                lastFailure = "no reply within " + settings.timeout().toSeconds() + " s";
            } catch (ConnectException e) {
                throw unreachable(e);
            } catch (IOException e) {
                throw new PerceptException("request to the VLM at " + endpoint + " failed: " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PerceptException("interrupted while waiting for the VLM at " + endpoint, e);
            }
            if (attempt >= settings.attempts()) {
                throw new PerceptException("the VLM at " + endpoint + " failed " + attempt + " times, last: " + lastFailure);
            }
            sleep(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
        }
    }

    private String content(String reply) {
        JsonNode root;
        try {
            root = JsonFiles.mapper().readTree(reply);
        } catch (IOException e) {
            throw new PerceptException("the VLM at " + endpoint + " sent a reply that is not JSON: " + excerpt(reply));
        }
        JsonNode content = root.path("choices").path(0).path("message").path("content");
        if (content.isNull()) {
            return ""; // a model may answer with nothing: counted as unparsed
        }
        if (!content.isTextual()) {
            throw new PerceptException("the VLM at " + endpoint + " sent no choices[0].message.content: " + excerpt(reply));
        }
        return content.asText();
    }

    /**
     * The class an answer names: an exact match, else a case-insensitive one, else the class name
     * that occurs first in the answer (the longer one when two start at the same place); -1 if none.
     */
    public static int match(String answer, List<String> classes) {
        String a = answer.strip().replaceAll("^[\"'`*]+|[\"'`*.!]+$", "").strip();
        int exact = classes.indexOf(a);
        if (exact >= 0) {
            return exact;
        }
        String lower = a.toLowerCase(Locale.ROOT);
        for (int c = 0; c < classes.size(); c++) {
            if (classes.get(c).toLowerCase(Locale.ROOT).equals(lower)) {
                return c;
            }
        }
        int best = -1;
        int bestAt = Integer.MAX_VALUE;
        for (int c = 0; c < classes.size(); c++) {
            String name = classes.get(c).toLowerCase(Locale.ROOT);
            int at = lower.indexOf(name);
            if (at >= 0 && (at < bestAt || at == bestAt && name.length() > classes.get(best).length())) {
                best = c;
                bestAt = at;
            }
        }
        return best;
    }

    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return MAX_WAIT; // an HTTP date: wait the longest we would anyway
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerceptException("interrupted while waiting to retry the VLM", e);
        }
    }
}
