package dev.percept.hub;

import dev.percept.PerceptException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Fetches one file of a Hub repository into the {@link HubCache}, the way huggingface_hub's
 * {@code hf_hub_download} does: a HEAD on {@code {endpoint}/{repo}/resolve/{revision}/{file}}
 * gives the commit, the etag and the size (following only same-host redirects: a renamed repo);
 * the content then comes from where the HEAD redirected (a CDN for LFS files) into
 * {@code blobs/<etag>.incomplete}, resumed with a Range request after a broken transfer, checked
 * against the etag, and moved into place.
 */
final class HubDownloader {

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpTransfer http;

    HubDownloader(HubSettings settings, HubCache cache) {
        this.settings = settings;
        this.cache = cache;
        this.http = new HttpTransfer(settings.timeout(), settings.token(), settings.endpoint());
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
            http.download(remote.location(), remote.size(), incomplete, file + " from " + repo,
                    (status, headers) -> httpError(status, headers, repo, revision, file), progress);
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
            HttpResponse<Void> response = http.send(
                    http.request(current, 0).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding(), repo);
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            boolean redirect = HttpTransfer.REDIRECTS.contains(status);
            if (redirect) {
                URI location = HttpTransfer.location(headers, file + " of " + repo);
                uri = current.resolve(location);
                // A relative redirect is a renamed repository on the same Hub: ask again there.
                // An absolute one points at the CDN holding the content: the metadata is in this answer.
                if (location.getHost() == null) {
                    if (hops >= HttpTransfer.MAX_REDIRECTS) {
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

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new PerceptException("the Hub sent an invalid size: " + value, e);
        }
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
