package dev.percept.align;

import dev.percept.console.Progress;
import dev.percept.data.Triplet;
import dev.percept.data.TwoAfc;
import dev.percept.embed.Embedder;
import dev.percept.eval.Bootstrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How well a model's distances agree with human 2AFC votes, overall and per subset, with 95%
 * bootstrap intervals. Each distinct image is embedded once.
 */
public final class TwoAfcScore {
    private TwoAfcScore() {}

    /** Scores per subset (sorted by name) and over all triplets. */
    public record Result(Bootstrap.Interval all, Map<String, Bootstrap.Interval> subsets) {}

    public static Result score(Embedder embedder, List<Triplet> triplets, Progress progress, long seed) {
        return score(distances(embedder, triplets, progress), triplets, seed);
    }

    /**
     * For each triplet, {d(ref, left), d(ref, right)} with d = 1 - cos; each distinct image is
     * embedded once.
     */
    public static double[][] distances(Embedder embedder, List<Triplet> triplets, Progress progress) {
        List<Path> images = new ArrayList<>(new TreeSet<>(triplets.stream()
                .flatMap(t -> java.util.stream.Stream.of(t.ref(), t.left(), t.right()))
                .toList()));
        Map<Path, float[]> features = new HashMap<>();
        embedder.embed(images, (first, rows) -> {
            for (int i = 0; i < rows.length; i++) {
                features.put(images.get(first + i), rows[i]);
            }
        }, progress);
        double[][] d = new double[triplets.size()][];
        for (int i = 0; i < triplets.size(); i++) {
            Triplet t = triplets.get(i);
            float[] ref = features.get(t.ref());
            d[i] = new double[] {
                Embedder.cosineDistance(ref, features.get(t.left())), Embedder.cosineDistance(ref, features.get(t.right()))
            };
        }
        return d;
    }

    /** Scores from distances computed by {@link #distances}. */
    public static Result score(double[][] distances, List<Triplet> triplets, long seed) {
        double[] credit = new double[triplets.size()];
        Map<String, List<Double>> bySubset = new TreeMap<>();
        for (int i = 0; i < triplets.size(); i++) {
            Triplet t = triplets.get(i);
            credit[i] = TwoAfc.agreement(distances[i][0], distances[i][1], t.rightVote());
            bySubset.computeIfAbsent(t.subset(), k -> new ArrayList<>()).add(credit[i]);
        }
        Map<String, Bootstrap.Interval> subsets = new TreeMap<>();
        bySubset.forEach((name, values) -> subsets.put(name,
                Bootstrap.mean(values.stream().mapToDouble(Double::doubleValue).toArray(), Bootstrap.RESAMPLES, seed)));
        return new Result(Bootstrap.mean(credit, Bootstrap.RESAMPLES, seed), subsets);
    }
}
