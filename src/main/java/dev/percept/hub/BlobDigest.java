package dev.percept.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The hash a Hub etag names: the sha256 of the content for LFS files (64 hex digits), the git
 * blob sha1, {@code sha1("blob " + size + "\0" + content)}, for files stored in git (40 hex
 * digits).
 */
final class BlobDigest {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    private BlobDigest() {}

    /** "sha256" or "git sha1", or null when the etag is neither. */
    static String kind(String etag) {
        if (SHA256.matcher(etag).matches()) {
            return "sha256";
        }
        if (SHA1.matcher(etag).matches()) {
            return "git sha1";
        }
        return null;
    }

    /** The hash of {@code file} of the kind {@code etag} is; {@code etag} must have a {@link #kind}. */
    static String of(Path file, String etag) throws IOException {
        if ("sha256".equals(kind(etag))) {
            return hash(file, "SHA-256", new byte[0]);
        }
        byte[] header = ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII);
        return hash(file, "SHA-1", header);
    }

    private static String hash(Path file, String algorithm, byte[] prefix) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
        digest.update(prefix);
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
