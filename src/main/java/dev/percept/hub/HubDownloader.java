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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one file of a Hub repository into the {@link HubCache}, the way huggingface_hub's
 * {@code hf_hub_download} does: a HEAD on {@code {endpoint}/{repo}/resolve/{revision}/{file}}
 * gives the commit, the etag and the size (following only same-host redirects: a renamed repo);
 * the content then comes from where the HEAD redirected (a CDN for LFS files) into
 * {@code blobs/<etag>.incomplete}, resumed with a Range request after a broken transfer, checked
 * against the etag, and moved into place.
 */
final class HubDownloader {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 10;
    private static final int ATTEMPTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpClient client;

    HubDownloader(HubSettings settings, HubCache cache) {
        this.settings = settings;
        this.cache = cache;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** What a HEAD on the resolve URL told about a file. */
    record RemoteFile(String repo, String revision, String file, String commit, String etag, long size, URI location) {}

    /**
     * Makes {@code file} of {@code repo} at {@code revision} present in the cache and returns the
     * commit it came from. A file whose snapshot entry or blob is already there is not downloaded
     * again.
     */
    String fetch(String repo, String revision, String file, TransferProgress progress) throws IOException {
        RemoteFile remote = metadata(repo, revision, file);
        cache.writeRef(repo, revision, remote.commit());
        Path pointer = cache.snapshotFile(repo, remote.commit(), file);
        if (Files.exists(pointer)) {
            progress.note(file + ": already in the cache");
            return remote.commit();
        }
        if (BlobDigest.kind(remote.etag()) == null) {
            throw new PerceptException("cannot verify " + file + " of " + repo + ": its etag " + remote.etag()
                    + " is neither a sha256 nor a git sha1");
        }
        Path blob = cache.blob(repo, remote.etag());
        if (!Files.exists(blob)) {
            Files.createDirectories(blob.getParent());
            Path incomplete = cache.incompleteBlob(repo, remote.etag());
            download(remote, incomplete, progress);
            verify(remote, incomplete);
            Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        cache.link(repo, remote.commit(), file, remote.etag());
        return remote.commit();
    }

    private RemoteFile metadata(String repo, String revision, String file) {
        URI uri = URI.create(settings.endpoint() + "/" + repo + "/resolve/" + encode(revision, false)
                + "/" + encode(file, true));
        for (int hops = 0; ; hops++) {
            URI current = uri;
            HttpResponse<Void> response = send(
                    request(current, 0).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding(), repo);
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            boolean redirect = REDIRECTS.contains(status);
            if (redirect) {
                URI location = location(headers, file + " of " + repo);
                uri = current.resolve(location);
                // A relative redirect is a renamed repository on the same Hub: ask again there.
                // An absolute one points at the CDN holding the content: the metadata is in this answer.
                if (location.getHost() == null) {
                    if (hops >= MAX_REDIRECTS) {
                        throw new PerceptException("too many redirects for " + file + " of " + repo);
                    }
                    continue;
                }
            } else if (status / 100 != 2) {
                throw httpError(status, headers, repo, revision, file);
            }
            String commit = headers.firstValue("X-Repo-Commit").orElseThrow(() -> new PerceptException(
                    "the answer for " + file + " of " + repo + " has no X-Repo-Commit header: "
                            + settings.endpoint() + " does not look like a Hugging Face Hub"));
            String etag = normalizeEtag(headers.firstValue("X-Linked-Etag")
                    .or(() -> headers.firstValue("ETag"))
                    .orElseThrow(() -> new PerceptException(
                            "the Hub sent no ETag for " + file + " of " + repo + ": it cannot be verified")));
            Optional<String> sizeHeader = headers.firstValue("X-Linked-Size");
            if (sizeHeader.isEmpty() && !redirect) {
                sizeHeader = headers.firstValue("Content-Length");
            }
            long size = sizeHeader.map(HubDownloader::parseSize).orElseThrow(() -> new PerceptException(
                    "the Hub sent no size for " + file + " of " + repo));
            return new RemoteFile(repo, revision, file, commit, etag, size, uri);
        }
    }

    /**
     * Downloads into {@code incomplete}, resuming from what it already holds. A transfer that
     * breaks off or stalls is resumed up to {@value #ATTEMPTS} times, like huggingface_hub's.
     */
    private void download(RemoteFile remote, Path incomplete, TransferProgress progress) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                downloadOnce(remote, incomplete, progress);
                return;
            } catch (BrokenTransfer e) {
                String broke = remote.file() + " from " + remote.repo() + " broke off after " + e.received + " of "
                        + remote.size() + " bytes (" + e.getMessage() + ")";
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

        BrokenTransfer(String why, long received, Throwable cause) {
            super(why, cause);
            this.received = received;
        }
    }

    private void downloadOnce(RemoteFile remote, Path incomplete, TransferProgress progress) throws IOException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (have > remote.size()) {
            Files.delete(incomplete);
            have = 0;
        }
        if (have == remote.size() && have > 0) {
            return;
        }
        HttpResponse<InputStream> response = get(remote, have);
        int status = response.statusCode();
        if (status != 200 && status != 206) {
            response.body().close();
            throw httpError(status, response.headers(), remote.repo(), remote.revision(), remote.file());
        }
        boolean append = status == 206;
        if (!append) {
            have = 0; // the server ignored the Range header: start over
        } else if (rangeStart(response.headers()) != have) {
            response.body().close();
            throw new PerceptException("the server resumed " + remote.file() + " of " + remote.repo()
                    + " at another byte than " + have + " (Content-Range: "
                    + response.headers().firstValue("Content-Range").orElse("none") + ")");
        }
        progress.begin(remote.file(), have, remote.size());
        StallWatch stall = new StallWatch(settings.timeout());
        boolean complete = false;
        try (InputStream in = response.body();
                OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            stall.watch(in);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = read(in, buffer, stall, incomplete)) > 0; ) {
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
        if (got < remote.size()) {
            throw new BrokenTransfer(stall.fired() ? stall.reason() : "the server ended the transfer early", got, null);
        }
        if (got > remote.size()) {
            Files.delete(incomplete);
            throw new PerceptException("the server sent " + got + " bytes for " + remote.file() + " of "
                    + remote.repo() + ", more than the " + remote.size() + " it announced; the download was deleted");
        }
    }

    private static int read(InputStream in, byte[] buffer, StallWatch stall, Path incomplete) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            String why = stall.fired() ? stall.reason() : e.getMessage() != null ? e.getMessage() : e.toString();
            throw new BrokenTransfer(why, Files.exists(incomplete) ? Files.size(incomplete) : 0, e);
        }
    }

    /** GET from where the HEAD pointed, from byte {@code from} on, following the CDN's own redirects. */
    private HttpResponse<InputStream> get(RemoteFile remote, long from) throws IOException {
        URI uri = remote.location();
        for (int hops = 0; ; hops++) {
            URI current = uri;
            HttpResponse<InputStream> response = send(request(current, from).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream(), remote.repo());
            if (!REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            response.body().close();
            if (hops >= MAX_REDIRECTS) {
                throw new PerceptException("too many redirects for " + remote.file() + " of " + remote.repo());
            }
            uri = current.resolve(location(response.headers(), remote.file() + " of " + remote.repo()));
        }
    }

    private static URI location(HttpHeaders headers, String what) {
        String location = headers.firstValue("Location").orElseThrow(
                () -> new PerceptException("redirect without a Location header for " + what));
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new PerceptException("invalid redirect for " + what + ": " + location, e);
        }
    }

    private HttpRequest.Builder request(URI uri, long rangeFrom) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("User-Agent", "percept")
                // The size in the answer must be the file's, not a compressed body's.
                .header("Accept-Encoding", "identity");
        if (rangeFrom > 0) {
            builder.header("Range", "bytes=" + rangeFrom + "-");
        }
        // The token is for the Hub only: CDN links are signed, and must not see it.
        if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, String repo) {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new PerceptException("cannot reach " + request.uri().getScheme() + "://" + request.uri().getAuthority()
                    + " for " + repo + " (" + why + "); check the network, or use --offline to work from the cache",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerceptException("interrupted while talking to the Hub about " + repo, e);
        }
    }

    private PerceptException httpError(int status, HttpHeaders headers, String repo, String revision, String file) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String tokenHint = settings.token() == null
                ? "set HF_TOKEN to a Hugging Face access token that can read it"
                : "the token in HF_TOKEN cannot read it";
        if (status == 401 || code.equals("RepoNotFound")) {
            return new PerceptException("repo " + repo + " on " + settings.endpoint()
                    + " does not exist or needs authentication (private or gated); " + tokenHint);
        }
        if (status == 403 || code.equals("GatedRepo")) {
            return new PerceptException("access to " + repo + " is restricted (gated repo): accept its terms on "
                    + settings.endpoint() + "/" + repo + " and " + tokenHint);
        }
        if (status == 404 && code.equals("RevisionNotFound")) {
            return new PerceptException("no revision " + revision + " in repo " + repo);
        }
        if (status == 404) {
            return new PerceptException("no file " + file + " in repo " + repo + " at revision " + revision);
        }
        return new PerceptException("HTTP " + status + " from " + settings.endpoint() + " for " + file + " of "
                + repo + " at revision " + revision);
    }

    private void verify(RemoteFile remote, Path incomplete) throws IOException {
        String actual = BlobDigest.of(incomplete, remote.etag());
        if (!actual.equals(remote.etag())) {
            Files.delete(incomplete);
            throw new PerceptException("checksum mismatch for " + remote.file() + " of " + remote.repo()
                    + ": expected " + BlobDigest.kind(remote.etag()) + " " + remote.etag() + ", the download has "
                    + actual + "; it was deleted, run the same command again");
        }
    }

    // huggingface_hub accepts both ETag forms, W/"x" and "x", and keeps x.
    static String normalizeEtag(String etag) {
        String value = etag.startsWith("W/") ? etag.substring(2) : etag;
        return value.replaceAll("^\"|\"$", "");
    }

    // "bytes 100-199/200" -> 100; -1 when absent or malformed.
    private static long rangeStart(HttpHeaders headers) {
        Matcher m = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new PerceptException("the Hub sent an invalid size: " + value, e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    // Percent-encodes like Python's urllib.parse.quote: the revision with safe="" (refs/pr/1 is one
    // path segment), the file name with safe="/".
    static String encode(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
