package dev.percept.search;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.image.ImageDecoder;
import dev.percept.image.Thumbnails;
import dev.percept.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One incremental run of {@code percept index}: the index ends up holding exactly the given
 * images. Unchanged files (same size and modification time) are skipped; a file whose content
 * is already indexed (same SHA-256, say a copy or a touched file) takes that vector without
 * embedding; the rest are embedded. Embedded images are committed about once a second, so a
 * killed run keeps its work and the next run only embeds what is left.
 */
public final class ImageIndexer {
    private static final long COMMIT_NANOS = 1_000_000_000L;

    /** What a run did. {@code reused}: of the added and changed files, those whose content was already indexed. */
    public record Report(int added, int changed, int unchanged, int reused, int removed, int total) {}

    private ImageIndexer() {}

    public static Report update(IndexBuilder builder, Path location, List<Path> images, Embedder embedder, Progress progress) {
        Map<String, IndexedImage> before = new HashMap<>();
        Map<String, String> pathBySha = new HashMap<>();
        List<Path> toEmbed = new ArrayList<>();
        List<List<IndexedImage>> pending = new ArrayList<>(); // per file to embed: it and any copies of it
        Map<String, Integer> pendingBySha = new HashMap<>();
        int unchanged = 0;
        int reused = 0;
        int changed = 0;
        int added = 0;
        try (SearchIndex index = SearchIndex.open(location)) {
            for (IndexedImage image : index.images()) {
                before.put(image.path(), image);
                pathBySha.putIfAbsent(image.sha256(), image.path());
            }
            Set<String> present = new HashSet<>();
            for (Path file : images) {
                String key = IndexSchema.key(file);
                present.add(key);
                IndexedImage old = before.get(key);
                long size = size(file);
                long modified = modified(file);
                if (old != null && old.size() == size && old.modified() == modified) {
                    unchanged++;
                    continue;
                }
                if (old != null) {
                    changed++;
                } else {
                    added++;
                }
                IndexedImage now = new IndexedImage(key, size, modified, sha256(file));
                String same = pathBySha.get(now.sha256());
                Integer queued = pendingBySha.get(now.sha256());
                if (same != null) {
                    builder.put(now, index.vectorOf(same).orElseThrow(), index.thumbnail(same).orElseThrow());
                    reused++;
                } else if (queued != null) {
                    pending.get(queued).add(now);
                    reused++;
                } else {
                    pendingBySha.put(now.sha256(), toEmbed.size());
                    toEmbed.add(file);
                    pending.add(new ArrayList<>(List.of(now)));
                }
            }
            int removed = 0;
            for (String path : before.keySet()) {
                if (!present.contains(path)) {
                    builder.delete(path);
                    removed++;
                }
            }
            builder.commit();
            progress.advance(images.size() - toEmbed.size());
            embed(builder, toEmbed, pending, embedder, progress);
            return new Report(added, changed, unchanged, reused, removed, images.size());
        }
    }

    private static void embed(IndexBuilder builder, List<Path> files, List<List<IndexedImage>> images, Embedder embedder,
            Progress progress) {
        long[] lastCommit = {System.nanoTime()};
        try {
            embedder.embed(files, (first, rows) -> {
                for (int i = 0; i < rows.length; i++) {
                    Path file = files.get(first + i);
                    byte[] thumbnail = Thumbnails.png(Thumbnails.fit(ImageDecoder.decode(file), IndexSchema.THUMBNAIL_SIDE));
                    for (IndexedImage image : images.get(first + i)) {
                        builder.put(image, rows[i], thumbnail);
                    }
                }
                if (System.nanoTime() - lastCommit[0] >= COMMIT_NANOS) {
                    builder.commit();
                    lastCommit[0] = System.nanoTime();
                }
            }, progress);
        } finally {
            builder.commit(); // a failure (a corrupt image, say) keeps every image embedded before it
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.hex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
