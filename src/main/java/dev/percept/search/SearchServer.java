package dev.percept.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.image.ImageDecoder;
import dev.percept.io.JsonFiles;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.awt.Dimension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web page and JSON API over one or more indexes. Parameters never reach the file system:
 * paths are looked up as exact index terms, so only indexed images are ever served, and
 * uploads are embedded from a private temporary file after their size and pixel count pass the
 * limits. Bad input is answered with a 4xx and a one-line JSON message.
 */
public final class SearchServer implements AutoCloseable {
    /** Caps on an upload: its bytes, and its pixels as its header states them (checked before decoding). */
    public record Limits(long maxBytes, long maxPixels) {
        public static final Limits DEFAULT = new Limits(20L << 20, 40_000_000L);
    }

    /** One index as served: its name in the API and on the page, and the model that embeds uploads for it. */
    public record Served(String name, SearchIndex index, QueryModel model) {}

    static final int MAX_K = 1000;

    private final Map<String, Served> indexes = new LinkedHashMap<>();
    private final Limits limits;
    private final Javalin app;

    private SearchServer(List<Served> served, Limits limits, String host, int port) {
        if (served.isEmpty()) {
            throw new PerceptException("--index: give at least one index to serve");
        }
        for (Served s : served) {
            if (indexes.put(s.name(), s) != null) {
                throw new PerceptException("--index: the name " + s.name() + " is given twice; name them NAME=INDEX");
            }
        }
        this.limits = limits;
        byte[] page = page();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = limits.maxBytes();
            config.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(page));
            config.routes.get("/api/indexes", this::listIndexes);
            config.routes.post("/api/search", this::searchUpload);
            config.routes.get("/api/similar", this::similar);
            config.routes.get("/api/thumbnail", this::thumbnail);
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            config.routes.exception(PerceptException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e.getClass().getSimpleName()));
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            throw new PerceptException("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
    }

    public static SearchServer start(List<Served> served, Limits limits, String host, int port) {
        return new SearchServer(served, limits, host, port);
    }

    public int port() {
        return app.port();
    }

    /** A failure the client caused, with its HTTP status. */
    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void listIndexes(Context ctx) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        ArrayNode list = root.putArray("indexes");
        for (Served s : indexes.values()) {
            ModelIdentity id = s.index().identity();
            list.addObject().put("name", s.name()).put("images", s.index().size()).put("model", id.spec())
                    .put("features", id.memberFeatures()).put("dimension", id.dimension())
                    .put("quantize", s.index().quantization().toString());
        }
        json(ctx, root);
    }

    private void searchUpload(Context ctx) {
        Served served = served(ctx);
        int k = k(ctx);
        String under = under(ctx);
        byte[] body = body(ctx);
        Dimension size = ImageDecoder.dimensions(body, "upload");
        if ((long) size.width * size.height > limits.maxPixels()) {
            throw new ApiError(413, "upload: " + size.width + "x" + size.height + " image exceeds the limit of " + limits.maxPixels() + " pixels");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("percept-upload", ".img");
            Files.write(tmp, body);
            float[] vector;
            try {
                vector = served.model().embed(tmp);
            } catch (PerceptException e) {
                throw new PerceptException(e.getMessage().replace(tmp.toString(), "upload"));
            }
            results(ctx, served.index().search(vector, k, under));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file; the system cleans its temp folder
                }
            }
        }
    }

    private void similar(Context ctx) {
        Served served = served(ctx);
        int k = k(ctx);
        String under = under(ctx);
        String path = required(ctx, "path");
        float[] vector = served.index().vectorOf(path)
                .orElseThrow(() -> new ApiError(404, "path " + path + " is not in index " + served.name()));
        results(ctx, served.index().search(vector, k, under));
    }

    private void thumbnail(Context ctx) {
        Served served = served(ctx);
        String path = required(ctx, "path");
        byte[] png = served.index().thumbnail(path)
                .orElseThrow(() -> new ApiError(404, "path " + path + " is not in index " + served.name()));
        ctx.contentType("image/png").header("Cache-Control", "max-age=3600").result(png);
    }

    private Served served(Context ctx) {
        String name = ctx.queryParam("index");
        if (name == null) {
            return indexes.values().iterator().next();
        }
        Served s = indexes.get(name);
        if (s == null) {
            throw new ApiError(400, "unknown index '" + name + "'; this server has " + indexes.keySet());
        }
        return s;
    }

    private static int k(Context ctx) {
        String s = ctx.queryParam("k");
        if (s == null) {
            return 10;
        }
        try {
            int k = Integer.parseInt(s);
            if (k >= 1 && k <= MAX_K) {
                return k;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiError(400, "k must be a whole number from 1 to " + MAX_K + ", not '" + s + "'");
    }

    /** The folder filter as the index stores folders: absolute and normalised. */
    private static String under(Context ctx) {
        String s = ctx.queryParam("under");
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(s);
            if (!p.isAbsolute()) {
                throw new ApiError(400, "under must be an absolute folder, not '" + s + "'");
            }
            return p.normalize().toString();
        } catch (InvalidPathException e) {
            throw new ApiError(400, "under is not a folder path: " + e.getReason());
        }
    }

    private static String required(Context ctx, String name) {
        String s = ctx.queryParam(name);
        if (s == null || s.isEmpty()) {
            throw new ApiError(400, "missing query parameter '" + name + "'");
        }
        return s;
    }

    /** The request body, refused (413) past the byte limit without reading further. */
    private byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limits.maxBytes()) {
            throw new ApiError(413, "upload of " + declared + " bytes exceeds the limit of " + limits.maxBytes() + " bytes");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
            if (bytes.length > limits.maxBytes()) {
                throw new ApiError(413, "upload exceeds the limit of " + limits.maxBytes() + " bytes");
            }
            if (bytes.length == 0) {
                throw new ApiError(400, "empty body: send the image's bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new ApiError(400, "cannot read the upload: " + e.getMessage());
        }
    }

    private static void results(Context ctx, List<Hit> hits) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        ArrayNode results = root.putArray("results");
        hits.forEach(h -> results.addObject().put("path", h.path()).put("distance", h.distance()));
        json(ctx, root);
    }

    private static void json(Context ctx, ObjectNode node) {
        ctx.contentType("application/json").result(node.toString());
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode node = JsonFiles.mapper().createObjectNode().put("error", message);
        ctx.status(status);
        json(ctx, node);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    private static byte[] page() {
        try (InputStream in = SearchServer.class.getResourceAsStream("page.html")) {
            if (in == null) {
                throw new IllegalStateException("page.html missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
