package dev.percept.data.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** File access shared by the dataset readers, with errors that name the file. */
final class DatasetFiles {
    private static final int MAX_LISTED = 5;

    private DatasetFiles() {}

    static Path requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new PerceptException(what + " " + file + " is missing");
        }
        return file;
    }

    static Path requireDir(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new PerceptException(what + " " + dir + " is missing");
        }
        return dir;
    }

    static JsonNode json(Path file) {
        return JsonFiles.readObject(requireFile(file, "file"));
    }

    /** Lines of a text file, stripped, blank ones dropped (1-based numbers kept for errors). */
    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(requireFile(file, "list"));
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A non-blank line of a list file, split on whitespace, with its 1-based number for errors. */
    record Row(Path file, int number, String text, String[] fields) {
        PerceptException error(String problem) {
            return new PerceptException(file + ", line " + number + ": " + problem);
        }

        PerceptException expected(String format) {
            return error("expected '" + format + "', got '" + text + "'");
        }
    }

    /** The non-blank lines of a list file as rows. */
    static List<Row> rows(Path file) {
        List<String> lines = lines(file);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty()) {
                out.add(new Row(file, i + 1, text, text.split("\\s+")));
            }
        }
        return out;
    }

    /** Entries of a folder in sorted order. */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(requireDir(dir, "folder"))) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new PerceptException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Fails naming the first missing files (and what listed them), before any model runs. */
    static void requireAll(List<Path> files, String listedBy) {
        List<Path> missing = new ArrayList<>();
        int count = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                count++;
                if (missing.size() < MAX_LISTED) {
                    missing.add(f);
                }
            }
        }
        if (count > 0) {
            throw new PerceptException(count + " file(s) named by " + listedBy + " are missing: " + missing
                    + (count > missing.size() ? " ..." : ""));
        }
    }

    /** A path named in a list file, relative to the root (a leading slash tolerated, as in BTS's lists). */
    static Path listed(Path root, String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Fails naming the first missing images, then the first missing targets, and what listed them. */
    static void requirePairs(List<DenseImage> items, String listedBy) {
        requireAll(items.stream().map(DenseImage::image).toList(), listedBy);
        requireAll(items.stream().map(DenseImage::target).toList(), listedBy);
    }

    /** The file name without its extension. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
