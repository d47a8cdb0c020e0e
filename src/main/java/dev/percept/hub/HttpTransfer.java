package dev.percept.hub;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of every download (Hub files, release zips, hub checkpoints): requests with a
 * timeout and an optional bearer token for one origin only, redirects followed by hand, and a
 * GET into a {@code .incomplete} file that resumes with {@code Range: bytes=N-} after a broken
 * or stalled transfer, showing progress as it goes.
 */
final class HttpTransfer {

    static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    static final int MAX_REDIRECTS = 10;
    private static final int ATTEMPTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    /** Turns an HTTP status that is neither success nor redirect into the error users see. */
    @FunctionalInterface
    interface Failure {
        PerceptException of(int status, HttpHeaders headers);
    }

    private final Duration timeout;
    private final String token;
    private final URI tokenOrigin;
    private final HttpClient client;

    /**
     * @param token bearer token sent only to {@code tokenOrigin} (signed CDN links must not see
     *     it), or null
     */
    HttpTransfer(Duration timeout, String token, URI tokenOrigin) {
        this.timeout = timeout;
        this.token = token;
        this.tokenOrigin = tokenOrigin;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Downloads {@code uri} into {@code incomplete}, resuming from what it already holds. A
     * transfer that breaks off or stalls is resumed up to {@value #ATTEMPTS} times, like
     * huggingface_hub's. Returns the file's size.
     *
     * @param size the size announced beforehand (a Hub HEAD), or -1 to take it from the answer
     * @param label how progress lines and errors name the file
     */
    long download(URI uri, long size, Path incomplete, String label, Failure failure, TransferProgress progress)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return downloadOnce(uri, size, incomplete, label, failure, progress);
            } catch (BrokenTransfer e) {
                String broke = label + " broke off after " + e.received + " of "
                        + (e.total >= 0 ? e.total : "?") + " bytes (" + e.getMessage() + ")";
                if (attempt == ATTEMPTS) {
                    throw new PerceptException("the download of " + broke + " " + ATTEMPTS
                            + " times; run the same command again to resume it", e);
                }
                progress.note(broke + "; resuming");
            }
        }
    }

    /** A transfer that ended before the last byte; what arrived is kept for the next attempt. */
    private static final class BrokenTransfer extends IOException {
        final long received;
        final long total;

        BrokenTransfer(String why, long received, long total, Throwable cause) {
            super(why, cause);
            this.received = received;
            this.total = total;
        }
    }

    private long downloadOnce(URI uri, long size, Path incomplete, String label, Failure failure,
            TransferProgress progress) throws IOException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (size >= 0 && have > size) {
            Files.delete(incomplete);
            have = 0;
        }
        if (size > 0 && have == size) {
            return size;
        }
        HttpResponse<InputStream> response = get(uri, have, label);
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        if (status == 416 && have > 0) {
            // Everything already arrived before an earlier run stopped: the server says so.
            response.body().close();
            Matcher m = UNSATISFIED_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
            if (m.matches() && Long.parseLong(m.group(1)) == have && (size < 0 || size == have)) {
                return have;
            }
            Files.delete(incomplete);
            throw new PerceptException("the server refused to resume " + label + " at byte " + have
                    + "; the partial download was deleted, run the same command again");
        }
        if (status != 200 && status != 206) {
            response.body().close();
            throw failure.of(status, headers);
        }
        boolean append = status == 206;
        long total;
        if (!append) {
            have = 0; // the server ignored the Range header: start over
            total = headers.firstValueAsLong("Content-Length").orElse(-1);
        } else {
            Matcher m = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                response.body().close();
                throw new PerceptException("the server resumed " + label + " at another byte than " + have
                        + " (Content-Range: " + headers.firstValue("Content-Range").orElse("none") + ")");
            }
            total = m.group(2).equals("*") ? -1 : Long.parseLong(m.group(2));
        }
        if (size >= 0 && total >= 0 && total != size) {
            response.body().close();
            throw new PerceptException("the server announced " + total + " bytes for " + label + ", expected " + size);
        }
        if (total < 0) {
            total = size;
        }
        if (total < 0) {
            response.body().close();
            throw new PerceptException("the server sent no size for " + label + ": the download cannot be checked");
        }
        progress.begin(label, have, total);
        StallWatch stall = new StallWatch(timeout);
        boolean complete = false;
        try (InputStream in = response.body();
                OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            stall.watch(in);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = read(in, buffer, stall, incomplete, total)) > 0; ) {
                stall.dataArrived();
                out.write(buffer, 0, n);
                progress.advance(n);
            }
            complete = !stall.fired();
        } finally {
            stall.stop();
            progress.end(complete);
        }
        long got = Files.size(incomplete);
        if (got < total) {
            throw new BrokenTransfer(stall.fired() ? stall.reason() : "the server ended the transfer early",
                    got, total, null);
        }
        if (got > total) {
            Files.delete(incomplete);
            throw new PerceptException("the server sent " + got + " bytes for " + label + ", more than the "
                    + total + " it announced; the download was deleted");
        }
        return total;
    }

    private static int read(InputStream in, byte[] buffer, StallWatch stall, Path incomplete, long total)
            throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            String why = stall.fired() ? stall.reason() : e.getMessage() != null ? e.getMessage() : e.toString();
            throw new BrokenTransfer(why, Files.exists(incomplete) ? Files.size(incomplete) : 0, total, e);
        }
    }

    /** GET {@code uri} from byte {@code from} on, following redirects to any host. */
    private HttpResponse<InputStream> get(URI uri, long from, String label) {
        for (int hops = 0; ; hops++) {
            URI current = uri;
            HttpResponse<InputStream> response = send(request(current, from).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream(), label);
            if (!REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            try {
                response.body().close();
            } catch (IOException e) {
                // nothing was read from it
            }
            if (hops >= MAX_REDIRECTS) {
                throw new PerceptException("too many redirects for " + label);
            }
            uri = current.resolve(location(response.headers(), label));
        }
    }

    static URI location(HttpHeaders headers, String what) {
        String location = headers.firstValue("Location").orElseThrow(
                () -> new PerceptException("redirect without a Location header for " + what));
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new PerceptException("invalid redirect for " + what + ": " + location, e);
        }
    }

    HttpRequest.Builder request(URI uri, long rangeFrom) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", "percept")
                // The size in the answer must be the file's, not a compressed body's.
                .header("Accept-Encoding", "identity");
        if (rangeFrom > 0) {
            builder.header("Range", "bytes=" + rangeFrom + "-");
        }
        if (token != null && sameOrigin(uri, tokenOrigin)) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, String what) {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new PerceptException("cannot reach " + request.uri().getScheme() + "://" + request.uri().getAuthority()
                    + " for " + what + " (" + why + "); check the network, or use --offline to work from the cache",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerceptException("interrupted while downloading " + what, e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return b != null && Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
