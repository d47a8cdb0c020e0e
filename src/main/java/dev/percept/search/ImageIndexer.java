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
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One incremental run of {@code percept index}: the index ends up holding exactly the given
 * images that decode. Unchanged files (same size and modification time) are skipped; a file whose
 * content is already indexed (same SHA-256, say a copy or a touched file) takes that vector
 * without embedding; the rest are embedded. A file that does not decode (corrupt, truncated, not
 * an image) is left out with a warning, and so are its copies. Embedded images are committed about
 * once a second, so a killed run keeps its work and the next run only embeds what is left.
 */
public final class ImageIndexer {
    private static final long COMMIT_NANOS = 1_000_000_000L;

    /**
     * What a run did. {@code reused}: of the added and changed files, those whose content was
     * already indexed. {@code unreadable}: files that did not decode, left out of the index (and
     * counted in neither added nor changed).
     */
    public record Report(int added, int changed, int unchanged, int reused, int removed, int unreadable, int total) {}

    private ImageIndexer() {}

    /** Brings the index at {@code location} to {@code images}; {@code warnings} receives one line per unreadable file. */
    public static Report update(IndexBuilder builder, Path location, List<Path> images, Embedder embedder, Progress progress,
            Consumer<String> warnings) {
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
            int unreadable = 0;
            int unreadableChanged = 0;
            for (List<IndexedImage> lost : embed(builder, toEmbed, pending, embedder, progress, warnings)) {
                reused -= lost.size() - 1; // its copies were counted as taking its vector
                for (IndexedImage image : lost) {
                    unreadable++;
                    if (before.containsKey(image.path())) {
                        unreadableChanged++;
                        builder.delete(image.path()); // its old vector no longer describes the file
                    }
                }
            }
            builder.commit();
            return new Report(added - (unreadable - unreadableChanged), changed - unreadableChanged, unchanged, reused, removed,
                    unreadable, images.size());
        }
    }

    /**
     * Embeds {@code files} (each standing for the images in {@code images} at the same position)
     * and stores them. A file that does not decode stops the embedder at its batch; it is found
     * by decoding from the first file not yet stored, reported with its copies, and embedding
     * resumes with the files after the stored ones, less that one. Returns the images left out.
     */
    private static List<List<IndexedImage>> embed(IndexBuilder builder, List<Path> files, List<List<IndexedImage>> images,
            Embedder embedder, Progress progress, Consumer<String> warnings) {
        List<List<IndexedImage>> lost = new ArrayList<>();
        long[] lastCommit = {System.nanoTime()};
        List<Integer> remaining = new ArrayList<>(IntStream.range(0, files.size()).boxed().toList());
        try {
            while (!remaining.isEmpty()) {
                List<Integer> positions = remaining;
                int[] stored = {0};
                try {
                    embedder.embed(positions.stream().map(files::get).toList(), (first, rows) -> {
                        for (int i = 0; i < rows.length; i++) {
                            int at = positions.get(first + i);
                            byte[] thumbnail = Thumbnails.png(Thumbnails.fit(ImageDecoder.decode(files.get(at)), IndexSchema.THUMBNAIL_SIDE));
                            for (IndexedImage image : images.get(at)) {
                                builder.put(image, rows[i], thumbnail);
                            }
                        }
                        stored[0] = first + rows.length;
                        if (System.nanoTime() - lastCommit[0] >= COMMIT_NANOS) {
                            builder.commit();
                            lastCommit[0] = System.nanoTime();
                        }
                    }, progress);
                    remaining = List.of();
                } catch (PerceptException e) {
                    remaining = new ArrayList<>(positions.subList(stored[0], positions.size()));
                    Undecodable bad = firstUndecodable(files, remaining).orElseThrow(() -> e);
                    Path file = files.get(bad.position());
                    warnings.accept("warning: skipped " + bad.reason());
                    List<IndexedImage> copies = images.get(bad.position());
                    copies.subList(1, copies.size()).forEach(c -> warnings.accept("warning: skipped " + c.path()
                            + ": the same bytes as " + file + ", which does not decode"));
                    lost.add(copies);
                    progress.advance(1);
                    remaining.remove(Integer.valueOf(bad.position()));
                }
            }
        } finally {
            builder.commit(); // any other failure keeps every image embedded before it
        }
        return lost;
    }

    /** A file that does not decode, by its position, and the decoder's message (which names it). */
    private record Undecodable(int position, String reason) {}

    /** The first of {@code files} at {@code positions} that does not decode. */
    private static Optional<Undecodable> firstUndecodable(List<Path> files, List<Integer> positions) {
        for (int i : positions) {
            try {
                ImageDecoder.decode(files.get(i));
            } catch (PerceptException e) {
                return Optional.of(new Undecodable(i, e.getMessage()));
            }
        }
        return Optional.empty();
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
