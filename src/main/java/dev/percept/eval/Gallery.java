package dev.percept.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Nearest-neighbour examples of a few test queries, for reports. */
public record Gallery(int k, List<Query> queries) {
    /** A query image, its label (item ids or class), and its nearest gallery images, nearest first. */
    public record Query(Path image, String label, List<Neighbour> results) {}

    /** A retrieved image; distance is 1 - cosine similarity. */
    public record Neighbour(Path image, String label, double distance, boolean correct) {}

    /**
     * Which {@code count} of {@code n} queries to show, drawn with {@code seed} and sorted: the same
     * for every model evaluated on the same test set.
     */
    public static int[] pick(int n, int count, long seed) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, new Random(seed));
        return all.subList(0, Math.min(count, n)).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
