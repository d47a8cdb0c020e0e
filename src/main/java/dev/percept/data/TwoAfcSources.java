package dev.percept.data;

import dev.percept.PerceptException;
import dev.percept.io.Npy;
import dev.percept.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Human 2AFC judgments in their public on-disk layouts. Every reader checks that each image
 * exists and fails naming the first missing ones with their rows, before any model runs.
 */
public final class TwoAfcSources {
    private static final int MAX_LISTED = 5;

    private TwoAfcSources() {}

    /**
     * Reads a source, recognising its layout: a NIGHTS folder (data.csv), a BAPPS 2afc folder
     * (subsets with judge/), a folder of class folders (ImageNet-style), a THINGS triplet list
     * (.txt) or a plain CSV (.csv). {@code seed} draws the class-folder triplets.
     */
    public static List<Triplet> read(Path source, String split, long seed) {
        String name = source.getFileName() == null ? "" : source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(source) && name.endsWith(".csv")) {
            return plainCsv(source);
        }
        if (Files.isRegularFile(source) && name.endsWith(".txt")) {
            return things(source);
        }
        if (Files.isRegularFile(source.resolve("data.csv"))) {
            return nights(source, split, 6);
        }
        if (Files.isDirectory(source.resolve("judge")) || hasSubfolderWith(source, "judge")) {
            return bapps(source);
        }
        if (Files.isDirectory(source)) {
            return ClassFolderTriplets.draw(source, seed);
        }
        throw new PerceptException(source + " is not a 2AFC source: expected a NIGHTS folder (with data.csv), "
                + "a BAPPS 2afc folder (subsets with ref/, p0/, p1/, judge/), a folder of class folders, "
                + "a THINGS triplet list (.txt) or a .csv file (ref,left,right,p)");
    }

    /**
     * THINGS odd-one-out lists: lines {@code im1 im2 im3} (paths relative to the list's folder)
     * where im3 is the odd one out. As 2AFC: im1 the reference, im2 the closer image (left), im3
     * the farther (right), so every judge chose left.
     */
    public static List<Triplet> things(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        List<Triplet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new PerceptException(file + ", line " + (i + 1) + ": expected three image paths (im1 im2 im3, "
                        + "im3 the odd one out), found " + parts.length + " field(s)");
            }
            out.add(new Triplet(base.resolve(parts[0]), base.resolve(parts[1]), base.resolve(parts[2]), 0.0,
                    "all", file + ", line " + (i + 1)));
        }
        if (out.isEmpty()) {
            throw new PerceptException(file + " lists no triplets");
        }
        return checked(out);
    }

    private static boolean hasSubfolderWith(Path root, String child) {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.anyMatch(p -> Files.isDirectory(p.resolve(child)));
        } catch (IOException e) {
            throw new PerceptException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * NIGHTS ({@code data.csv} read by header name; paths relative to the folder). Keeps rows of
     * {@code split} (null: all) with at least {@code minVotes} votes; subsets "imagenet" and
     * "other" from {@code is_imagenet}.
     */
    public static List<Triplet> nights(Path root, String split, int minVotes) {
        Csv csv = Csv.read(root.resolve("data.csv"));
        csv.require("right_vote", "ref_path", "left_path", "right_path", "split");
        List<Triplet> out = new ArrayList<>();
        for (int row = 0; row < csv.size(); row++) {
            if (split != null && !split.equals(csv.get(row, "split"))) {
                continue;
            }
            double votes = csv.has("votes") ? csv.number(row, "votes") : Double.NaN;
            if (csv.has("votes") && votes < minVotes) {
                continue;
            }
            double right = csv.number(row, "right_vote");
            double p = voteFraction(csv, row, right, votes);
            String subset = csv.has("is_imagenet") ? (truthy(csv.get(row, "is_imagenet")) ? "imagenet" : "other") : "all";
            out.add(new Triplet(root.resolve(csv.get(row, "ref_path")), root.resolve(csv.get(row, "left_path")),
                    root.resolve(csv.get(row, "right_path")), p, subset, csv.where(row)));
        }
        if (out.isEmpty()) {
            throw new PerceptException(csv.file() + ": no rows" + (split == null ? "" : " in split '" + split + "'")
                    + (minVotes > 0 ? " with at least " + minVotes + " votes" : ""));
        }
        return checked(out);
    }

    /** A plain CSV with columns ref, left, right, p (p: fraction preferring right); paths relative to the file. */
    public static List<Triplet> plainCsv(Path file) {
        Csv csv = Csv.read(file);
        csv.require("ref", "left", "right", "p");
        Path base = file.toAbsolutePath().getParent();
        List<Triplet> out = new ArrayList<>();
        for (int row = 0; row < csv.size(); row++) {
            double p = csv.number(row, "p");
            out.add(new Triplet(base.resolve(csv.get(row, "ref")), base.resolve(csv.get(row, "left")),
                    base.resolve(csv.get(row, "right")), p, "all", csv.where(row)));
        }
        if (out.isEmpty()) {
            throw new PerceptException(file + " has a header but no rows");
        }
        return checked(out);
    }

    /**
     * BAPPS 2AFC: {@code root/<subset>/{ref,p0,p1}/<n>.png} with {@code judge/<n>.npy} holding
     * the preference for p1. {@code root} is a split folder holding subsets, or one subset.
     */
    public static List<Triplet> bapps(Path root) {
        List<Path> subsets = new ArrayList<>();
        if (Files.isDirectory(root.resolve("judge"))) {
            subsets.add(root);
        } else {
            try (Stream<Path> s = Files.list(root)) {
                s.filter(p -> Files.isDirectory(p.resolve("judge"))).sorted().forEach(subsets::add);
            } catch (IOException e) {
                throw new PerceptException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        if (subsets.isEmpty()) {
            throw new PerceptException(root + ": no BAPPS subsets (folders with judge/, ref/, p0/, p1/)");
        }
        List<Triplet> out = new ArrayList<>();
        for (Path subset : subsets) {
            List<Path> judges;
            try (Stream<Path> s = Files.list(subset.resolve("judge"))) {
                judges = s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
            } catch (IOException e) {
                throw new PerceptException("cannot list " + subset.resolve("judge") + ": " + e.getMessage(), e);
            }
            String name = subset.getFileName().toString();
            for (Path judge : judges) {
                String id = judge.getFileName().toString().replaceFirst("\\.npy$", "");
                NpyArray value = Npy.read(judge);
                if (value.data().length != 1) {
                    throw new PerceptException(judge + ": expected one number (the preference for p1), found "
                            + value.data().length);
                }
                double p = value.data()[0];
                out.add(new Triplet(image(subset.resolve("ref"), id), image(subset.resolve("p0"), id),
                        image(subset.resolve("p1"), id), p, name, judge.toString()));
            }
        }
        if (out.isEmpty()) {
            throw new PerceptException(root + ": the BAPPS judge/ folders hold no .npy files");
        }
        return checked(out);
    }

    private static Path image(Path folder, String id) {
        Path png = folder.resolve(id + ".png");
        return Files.exists(png) ? png : folder.resolve(id + ".jpg");
    }

    /** right_vote is a fraction in NIGHTS' release; accept counts too when they add up to votes. */
    private static double voteFraction(Csv csv, int row, double right, double votes) {
        if (right >= 0 && right <= 1) {
            return right;
        }
        if (!Double.isNaN(votes) && votes > 0 && right >= 0 && right <= votes) {
            return right / votes;
        }
        throw new PerceptException(csv.where(row) + ": right_vote " + right + " is neither a fraction in [0, 1] "
                + "nor a count within votes");
    }

    private static boolean truthy(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("1") || s.equals("yes");
    }

    /** Fails naming the first missing images and their rows. */
    static List<Triplet> checked(List<Triplet> triplets) {
        List<String> missing = new ArrayList<>();
        int count = 0;
        for (Triplet t : triplets) {
            for (Path p : new Path[] {t.ref(), t.left(), t.right()}) {
                if (!Files.isRegularFile(p)) {
                    count++;
                    if (missing.size() < MAX_LISTED) {
                        missing.add(p + " (" + t.origin() + ")");
                    }
                }
            }
        }
        if (count > 0) {
            throw new PerceptException(count + " image(s) missing, e.g.:\n  " + String.join("\n  ", missing));
        }
        return triplets;
    }
}
