package dev.percept.hub;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache layout, shared with Python's huggingface_hub:
 *
 * <pre>
 * cacheDir/models--org--name/
 *   blobs/&lt;etag&gt;                       file content, named by its sha256 (LFS) or git sha1
 *   snapshots/&lt;commit&gt;/&lt;file&gt;           relative symlink to ../../blobs/&lt;etag&gt;
 *   refs/&lt;revision&gt;                    the commit a branch or tag resolved to
 * </pre>
 */
public final class HubCache {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** {@code models--org--name}, the folder of one repository. */
    public Path repoDir(String repo) {
        return root.resolve("models--" + repo.replace("/", "--"));
    }

    Path blob(String repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(checkedName(etag, "etag"));
    }

    /** Where a blob is downloaded before it is verified, and where a broken download resumes. */
    Path incompleteBlob(String repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(checkedName(etag, "etag") + ".incomplete");
    }

    Path snapshotDir(String repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(checkedName(commit, "commit"));
    }

    Path snapshotFile(String repo, String commit, String file) {
        return snapshotDir(repo, commit).resolve(checkedPath(file, "file name"));
    }

    /** The commit {@code revision} names: itself if it is a full commit hash, else what refs/ recorded. */
    public Optional<String> commit(String repo, String revision) {
        if (COMMIT.matcher(revision).matches()) {
            return Optional.of(revision);
        }
        Path ref = repoDir(repo).resolve("refs").resolve(checkedPath(revision, "revision"));
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(ref, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records that {@code revision} resolved to {@code commit}; nothing to record for a commit hash. */
    void writeRef(String repo, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir(repo).resolve("refs").resolve(checkedPath(revision, "revision"));
        if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).trim().equals(commit)) {
            return;
        }
        Files.createDirectories(ref.getParent());
        // huggingface_hub writes the hash without a newline.
        Files.writeString(ref, commit, StandardCharsets.UTF_8);
    }

    /** Points {@code snapshots/<commit>/<file>} at its blob with a relative symlink. */
    void link(String repo, String commit, String file, String etag) throws IOException {
        Path pointer = snapshotFile(repo, commit, file);
        Path blob = blob(repo, etag);
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer);
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            // Like huggingface_hub where symlinks are not allowed (Windows without developer mode).
            Files.copy(blob, pointer);
        }
    }

    /**
     * The snapshot folder of {@code repo} at {@code revision} when every one of {@code files} is in
     * it, else the first file that is missing.
     */
    public Lookup lookup(String repo, String revision, List<String> files) {
        Optional<String> commit = commit(repo, revision);
        if (commit.isEmpty()) {
            return new Lookup(null, files.get(0));
        }
        for (String file : files) {
            // Files.exists follows the symlink, so a link to a deleted blob counts as missing.
            if (!Files.exists(snapshotFile(repo, commit.get(), file))) {
                return new Lookup(null, file);
            }
        }
        return new Lookup(snapshotDir(repo, commit.get()), null);
    }

    /** Result of {@link #lookup}: a complete snapshot folder, or the first missing entry. */
    public record Lookup(Path folder, String missing) {
        public boolean complete() {
            return folder != null;
        }
    }

    private static String checkedName(String name, String what) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new PerceptException("invalid " + what + " from the Hub: " + name);
        }
        return name;
    }

    // Revisions like refs/pr/1 and files in subfolders are nested paths, but must stay inside the repo folder.
    private static String checkedPath(String path, String what) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            throw new PerceptException("invalid " + what + ": " + path);
        }
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new PerceptException("invalid " + what + ": " + path);
            }
        }
        return path;
    }
}
