package dev.percept.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Near-duplicate groups: the connected components of the graph linking two images when their
 * distance is below a threshold, with each image's nearest-neighbour distance so that a user can
 * see where the threshold falls. Each image is linked to those of its {@value #NEIGHBOURS}
 * nearest (by the HNSW graph) that are under the threshold; larger groups still connect through
 * their members' links.
 *
 * @param groups the components with two or more images, largest first, each sorted by path
 * @param nearest every image's distance to its nearest other image, ascending
 */
public record Duplicates(double threshold, List<List<String>> groups, double[] nearest) {
    static final int NEIGHBOURS = 16;
    /** Bins of the nearest-neighbour histogram that {@code percept duplicates} prints and writes. */
    public static final int HISTOGRAM_BINS = 20;

    public static Duplicates find(SearchIndex index, double threshold) {
        checkThreshold(threshold);
        List<String> paths = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        List<float[]> vectors = new ArrayList<>();
        index.forEach(e -> {
            ids.put(e.image().path(), paths.size());
            paths.add(e.image().path());
            vectors.add(e.vector());
        });
        List<int[]> links = new ArrayList<>();
        double[] nearest = new double[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            nearest[i] = Double.NaN;
            for (Hit hit : index.search(vectors.get(i), Math.min(NEIGHBOURS, paths.size()), null)) {
                int j = ids.get(hit.path());
                if (j == i) {
                    continue;
                }
                if (Double.isNaN(nearest[i])) {
                    nearest[i] = hit.distance(); // hits come nearest first
                }
                if (hit.distance() < threshold) {
                    links.add(new int[] {i, j});
                }
            }
        }
        return of(threshold, paths, links, nearest);
    }

    /**
     * The groups and histogram from links found elsewhere (by the Spark job's exact similarity
     * join, say).
     *
     * @param links pairs of indices into {@code paths} closer than the threshold
     * @param nearest per path, the distance to its nearest other image (NaN when there is none)
     */
    public static Duplicates of(double threshold, List<String> paths, List<int[]> links, double[] nearest) {
        checkThreshold(threshold);
        int[] parent = new int[paths.size()];
        Arrays.setAll(parent, i -> i);
        for (int[] link : links) {
            parent[find(parent, link[0])] = find(parent, link[1]);
        }
        Map<Integer, List<String>> components = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            components.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(paths.get(i));
        }
        List<List<String>> groups = components.values().stream()
                .filter(g -> g.size() > 1)
                .map(g -> g.stream().sorted().toList())
                .sorted(Comparator.<List<String>>comparingInt(List::size).reversed().thenComparing(g -> g.get(0)))
                .toList();
        double[] finite = Arrays.stream(nearest).filter(d -> !Double.isNaN(d)).sorted().toArray();
        return new Duplicates(threshold, groups, finite);
    }

    private static void checkThreshold(double threshold) {
        if (!(threshold >= 0 && threshold <= 2)) {
            throw new PerceptException("--threshold must be a distance between 0 and 2, got " + threshold);
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** One bin of the nearest-neighbour histogram: [from, to). */
    public record Bin(double from, double to, int count) {}

    /** The nearest-neighbour distances in {@code bins} equal bins from 0 to the largest, rounded up to 0.05. */
    public List<Bin> histogram(int bins) {
        if (nearest.length == 0) {
            return List.of();
        }
        double top = Math.max(0.05, Math.ceil(nearest[nearest.length - 1] / 0.05) * 0.05);
        double width = top / bins;
        int[] counts = new int[bins];
        for (double d : nearest) {
            counts[Math.min(bins - 1, (int) (d / width))]++;
        }
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            out.add(new Bin(b * width, (b + 1) * width, counts[b]));
        }
        return out;
    }

    /** The groups and the histogram in {@code bins} bins, as {@code percept duplicates --out} writes them. */
    public ObjectNode json(int bins) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        root.put("threshold", threshold);
        ArrayNode out = root.putArray("groups");
        groups.forEach(g -> g.forEach(out.addArray()::add));
        ArrayNode histogram = root.putArray("nearest_neighbour_histogram");
        histogram(bins).forEach(b -> histogram.addObject().put("from", b.from()).put("to", b.to()).put("count", b.count()));
        return root;
    }
}
