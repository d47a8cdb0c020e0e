package dev.percept.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback stand-in for the Hugging Face Hub: {@code HEAD /{repo}/resolve/{rev}/{file}} answers
 * with X-Repo-Commit, ETag (git sha1) and Content-Length for git files, and with a 302 to a
 * second server (the "CDN") plus X-Linked-Etag (sha256) and X-Linked-Size for LFS files. The CDN
 * honours {@code Range: bytes=N-}. Transfers can be set to break off or stall midway, files to be
 * served with content that does not match their etag, repos to be gated or renamed.
 */
final class FakeHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One request as the servers saw it. */
    record Request(String server, String method, String path, String range, String authorization, long bytesSent) {}

    private record Entry(byte[] content, boolean lfs, String etag) {}

    /** The next {@code times} transfers send {@code bytes} bytes, keep quiet for {@code holdMillis}, then drop. */
    private record Fault(int bytes, int times, long holdMillis) {}

    private final HttpServer hub;
    // The CDN speaks HTTP on a plain socket: HttpServer cannot drop a connection mid-body.
    private final ServerSocket cdn;
    private final Map<String, Map<String, Entry>> repos = new ConcurrentHashMap<>();
    private final Set<String> gated = ConcurrentHashMap.newKeySet();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final Map<String, byte[]> downloads = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    FakeHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", this::handleHub);
        hub.createContext("/downloads/", this::handleDownload);
        hub.start();
        cdn = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread cdnThread = new Thread(this::serveCdn, "fake-cdn");
        cdnThread.setDaemon(true);
        cdnThread.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** Adds a file kept in git (served by the Hub itself, etag = git blob sha1). */
    void addGitFile(String repo, String file, byte[] content) {
        repos.computeIfAbsent(repo, r -> new HashMap<>()).put(file, new Entry(content, false, gitSha1(content)));
    }

    /** Adds an LFS file (served by the CDN, etag = sha256). */
    void addLfsFile(String repo, String file, byte[] content) {
        repos.computeIfAbsent(repo, r -> new HashMap<>()).put(file, new Entry(content, true, sha256(content)));
    }

    /**
     * Serves {@code content} at {@link #downloadBase()}{@code /<path>} with a 302 to the CDN, as
     * GitHub release downloads do.
     */
    void addDownload(String path, byte[] content) {
        downloads.put(path, content);
    }

    /** Base URL of the files added with {@link #addDownload}. */
    URI downloadBase() {
        return URI.create(endpoint() + "/downloads");
    }

    /** The next {@code times} CDN transfers of this download send {@code bytes} bytes and drop the connection. */
    void breakDownloadAfter(String path, int bytes, int times) {
        faults.put(sha256(downloads.get(path)), new Fault(bytes, times, 200));
    }

    /** The CDN serves {@code wrong} for this LFS file while the Hub keeps announcing the real hash. */
    void serveInstead(String repo, String file, byte[] wrong) {
        served.put(sha256(repos.get(repo).get(file).content()), wrong);
    }

    /** The next {@code times} CDN transfers of this LFS file send {@code bytes} bytes and drop the connection. */
    void breakAfter(String repo, String file, int bytes, int times) {
        // The short pause lets the client take in what arrived before the connection drops.
        faults.put(sha256(repos.get(repo).get(file).content()), new Fault(bytes, times, 200));
    }

    /** The next CDN transfer of this LFS file sends {@code bytes} bytes, then nothing for {@code millis}. */
    void stallOnceAfter(String repo, String file, int bytes, long millis) {
        faults.put(sha256(repos.get(repo).get(file).content()), new Fault(bytes, 1, millis));
    }

    /** The repo answers 403 GatedRepo. */
    void gate(String repo) {
        gated.add(repo);
    }

    /** Requests for {@code oldName} are redirected (relative Location, as the Hub does) to {@code newName}. */
    void rename(String oldName, String newName) {
        renamed.put(oldName, newName);
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Request> downloads() {
        return requests().stream().filter(r -> r.method().equals("GET")).toList();
    }

    static String sha256(byte[] content) {
        return hex("SHA-256", content, new byte[0]);
    }

    static String gitSha1(byte[] content) {
        return hex("SHA-1", content, ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        hub.stop(0);
        cdn.close();
    }

    private void handleHub(HttpExchange ex) throws IOException {
        try (ex) {
            // /{org}/{name}/resolve/{revision}/{file...}, each segment percent-encoded
            String[] parts = ex.getRequestURI().getRawPath().substring(1).split("/", 5);
            String repo = parts[0] + "/" + parts[1];
            String revision = decode(parts[3]);
            String file = decode(parts[4]);
            if (renamed.containsKey(repo)) {
                ex.getResponseHeaders().set("Location",
                        "/" + renamed.get(repo) + "/resolve/" + parts[3] + "/" + parts[4]);
                reply(ex, 307, null);
                return;
            }
            ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            Map<String, Entry> files = repos.get(repo);
            if (files == null) {
                reply(ex, 401, "RepoNotFound");
                return;
            }
            if (gated.contains(repo)) {
                reply(ex, 403, "GatedRepo");
                return;
            }
            if (!revision.equals("main") && !revision.equals(COMMIT)) {
                reply(ex, 404, "RevisionNotFound");
                return;
            }
            Entry entry = files.get(file);
            if (entry == null) {
                reply(ex, 404, "EntryNotFound");
                return;
            }
            ex.getResponseHeaders().set("ETag", "\"" + entry.etag() + "\"");
            if (entry.lfs()) {
                ex.getResponseHeaders().set("X-Linked-Etag", "\"" + entry.etag() + "\"");
                ex.getResponseHeaders().set("X-Linked-Size", Long.toString(entry.content().length));
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getLocalPort()
                        + "/blobs/" + entry.etag() + "?signature=test");
                reply(ex, 302, null);
            } else if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(entry.content().length));
                reply(ex, 200, null);
            } else {
                ex.sendResponseHeaders(200, entry.content().length);
                ex.getResponseBody().write(entry.content());
                record(ex, "hub", entry.content().length);
            }
        }
    }

    private void handleDownload(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] content = downloads.get(ex.getRequestURI().getPath().substring("/downloads/".length()));
            if (content == null) {
                reply(ex, 404, null);
                return;
            }
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getLocalPort() + "/blobs/"
                    + sha256(content) + "?signature=test");
            reply(ex, 302, null);
        }
    }

    private void serveCdn() {
        while (!cdn.isClosed()) {
            try {
                Socket socket = cdn.accept();
                Thread connection = new Thread(() -> {
                    try (socket) {
                        handleCdn(socket);
                    } catch (IOException e) {
                        // the client went away
                    }
                }, "fake-cdn-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                // closed by close()
            }
        }
    }

    // One request per connection ("Connection: close"): GET /blobs/<sha256>, optionally with Range: bytes=N-.
    private void handleCdn(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String[] requestLine = readLine(in).split(" ");
        Map<String, String> headers = new HashMap<>();
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String path = URI.create(requestLine[1]).getPath();
        String hash = path.substring("/blobs/".length());
        byte[] content = served.getOrDefault(hash, findBlob(hash));
        String range = headers.get("range");
        int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
        int length = content.length - from;
        StringBuilder head = new StringBuilder(range == null ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 206 Partial Content\r\n");
        if (range != null) {
            head.append("Content-Range: bytes ").append(from).append('-').append(content.length - 1)
                    .append('/').append(content.length).append("\r\n");
        }
        head.append("Content-Length: ").append(length).append("\r\nConnection: close\r\n\r\n");
        Fault fault = faults.remove(hash);
        if (fault != null && fault.times() > 1) {
            faults.put(hash, new Fault(fault.bytes(), fault.times() - 1, fault.holdMillis()));
        }
        int sent = fault == null ? length : fault.bytes();
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(content, from, sent);
        out.flush();
        requests.add(new Request("cdn", requestLine[0], path, range, headers.get("authorization"), sent));
        if (fault != null) {
            sleep(fault.holdMillis());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private byte[] findBlob(String hash) {
        return repos.values().stream().flatMap(m -> m.values().stream()).map(Entry::content)
                .filter(c -> sha256(c).equals(hash))
                .findFirst()
                .or(() -> downloads.values().stream().filter(c -> sha256(c).equals(hash)).findFirst())
                .orElseThrow();
    }

    private void reply(HttpExchange ex, int status, String errorCode) throws IOException {
        if (errorCode != null) {
            ex.getResponseHeaders().set("X-Error-Code", errorCode);
        }
        ex.sendResponseHeaders(status, -1);
        record(ex, "hub", 0);
    }

    private void record(HttpExchange ex, String server, long bytes) {
        requests.add(new Request(server, ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization"), bytes));
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hex(String algorithm, byte[] content, byte[] prefix) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            digest.update(prefix);
            return HexFormat.of().formatHex(digest.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
