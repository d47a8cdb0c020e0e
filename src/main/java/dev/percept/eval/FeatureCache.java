package dev.percept.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import dev.percept.io.MappedFloats;
import dev.percept.io.Npy;
import dev.percept.io.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Extracted features kept on disk under a content hash of everything that determines them: the
 * model (its folders' file names, sizes and modification times), the adapters (their bytes), the
 * images (paths, sizes, modification times), the feature mode, input size, preprocessing and
 * precision. Files are float32 {@code .npy} written atomically and read memory-mapped, so every
 * probe of every run reuses one extraction.
 */
public final class FeatureCache {
    /** Bump when the meaning of cached files changes, so old entries stop matching. */
    private static final String FORMAT = "percept-features-1";

    private final Path dir;

    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** {@code $PERCEPT_FEATURE_CACHE}, else {@code ~/.cache/percept/features}. */
    public static Path defaultDir() {
        String env = System.getenv("PERCEPT_FEATURE_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "percept", "features");
    }

    /**
     * The cached features for {@code key}, computing them with {@code extract} (which must write
     * the given .npy path atomically) when they are not there yet.
     */
    public MappedFloats get(ObjectNode key, Consumer<Path> extract) {
        Path file = dir.resolve(hash(key) + ".npy");
        if (!Files.isRegularFile(file)) {
            extract.accept(file);
            JsonFiles.write(dir.resolve(hash(key) + ".key.json"), key);
        }
        return Npy.map(file);
    }

    /** The cache key's content hash (SHA-256, hex). */
    public static String hash(ObjectNode key) {
        return Sha256.hex(key.toString());
    }

    /** A key part for a folder of weights: each file's name, size and modification time. */
    public static ArrayNode folderStamp(Path folder) {
        ArrayNode out = JsonFiles.mapper().createArrayNode();
        for (Path f : files(folder, false)) {
            out.add(fileStamp(f));
        }
        return out;
    }

    /** A key part for an adapter or a head: the SHA-256 of its files' bytes (they are small and rewritten in place). */
    public static String contentHash(Path folder) {
        try {
            MessageDigest digest = Sha256.digest();
            for (Path f : files(folder, true)) {
                digest.update(folder.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(f));
            }
            return Sha256.hex(digest);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + folder + ": " + e.getMessage(), e);
        }
    }

    /** A key part for a list of images: path, size and modification time of each, in order. */
    public static String imagesStamp(List<Path> images) {
        StringBuilder s = new StringBuilder();
        for (Path p : images) {
            s.append(fileStamp(p)).append('\n');
        }
        return Sha256.hex(s.toString());
    }

    public static String format() {
        return FORMAT;
    }

    private static String fileStamp(Path f) {
        try {
            return f.toAbsolutePath() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            throw new PerceptException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path folder, boolean recursive) {
        if (Files.isRegularFile(folder)) {
            return List.of(folder); // a model given as a single weights file
        }
        try (Stream<Path> s = recursive ? Files.walk(folder) : Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new PerceptException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
