package dev.percept.eval;

import dev.percept.data.Triplet;
import dev.percept.data.TwoAfc;
import dev.percept.data.TwoAfcSources;
import dev.percept.embed.Embedder;
import dev.percept.io.MappedFloats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * 2AFC: how well a model's distances d = 1 - cos agree with human votes. Metric {@code 2afc} over
 * all triplets, and {@code 2afc_<subset>} per subset when a source has several (NIGHTS'
 * imagenet/other, BAPPS' subsets); a triplet's credit is the share of judges who agree with the
 * model's choice, 0.5 for a tie. Each distinct image is embedded once.
 */
public final class TwoAfcTask {
    public static final String NAME = "2afc";
    /** The split read when none is given (NIGHTS' test split; other sources have one). */
    public static final String DEFAULT_SPLIT = "test";

    private TwoAfcTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        String split = options.testSplit() != null ? options.testSplit() : DEFAULT_SPLIT;
        List<Triplet> triplets = TwoAfcSources.read(data, split, options.seed());
        List<Path> images = Triplet.distinctImages(triplets);
        MappedFloats rows = source.vectors(images, "2afc");
        Map<Path, Integer> index = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            index.put(images.get(i), i);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("split", split);
        details.put("triplets", triplets.size());
        details.put("images", images.size());
        return result(data, distances(p -> rows.row(index.get(p)), triplets), triplets, details);
    }

    /** For each triplet, {d(ref, left), d(ref, right)} with d = 1 - cos. */
    public static double[][] distances(Function<Path, float[]> features, List<Triplet> triplets) {
        double[][] d = new double[triplets.size()][];
        for (int i = 0; i < triplets.size(); i++) {
            Triplet t = triplets.get(i);
            float[] ref = features.apply(t.ref());
            d[i] = new double[] {
                Embedder.cosineDistance(ref, features.apply(t.left())), Embedder.cosineDistance(ref, features.apply(t.right()))
            };
        }
        return d;
    }

    /** The metrics of distances computed by {@link #distances}, over all triplets and per subset. */
    public static List<Metric> metrics(double[][] distances, List<Triplet> triplets) {
        double[][] credit = new double[triplets.size()][];
        Map<String, List<double[]>> bySubset = new TreeMap<>();
        for (int i = 0; i < triplets.size(); i++) {
            Triplet t = triplets.get(i);
            credit[i] = new double[] {TwoAfc.agreement(distances[i][0], distances[i][1], t.rightVote())};
            bySubset.computeIfAbsent(t.subset(), k -> new ArrayList<>()).add(credit[i]);
        }
        List<Metric> out = new ArrayList<>(List.of(Metric.mean(NAME, true, credit, 0)));
        if (bySubset.size() > 1) {
            bySubset.forEach((name, rows) -> out.add(Metric.mean(NAME + "_" + name, true, rows.toArray(double[][]::new), 0)));
        }
        return out;
    }

    public static TaskResult result(Path data, double[][] distances, List<Triplet> triplets, Map<String, Object> details) {
        return new TaskResult(NAME, data, null, metrics(distances, triplets), details, null);
    }
}
