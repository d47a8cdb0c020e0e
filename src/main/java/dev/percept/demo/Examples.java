package dev.percept.demo;

import dev.percept.eval.Comparison;
import dev.percept.eval.FeatureCache;
import dev.percept.eval.FeatureSource;
import dev.percept.hub.ModelStore;
import dev.percept.io.MappedFloats;
import dev.percept.model.FeatureNorm;
import dev.percept.report.Lead;
import dev.percept.synth.NightsJudgments;
import dev.percept.synth.NightsJudgments.Judgment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's example judgments: the first few held-out NIGHTS-like triplets (no choosing), with
 * the judges' pick and each model's (the variant at the smaller cosine distance).
 */
final class Examples {
    private Examples() {}

    static List<Lead.Example> pick(Path nights, List<Comparison.Entry> models, ModelStore store, FeatureCache cache, int count) {
        List<Judgment> test = NightsJudgments.read(nights, "test");
        test = test.subList(0, Math.min(count, test.size()));
        List<Path> images = new ArrayList<>();
        for (Judgment j : test) {
            images.addAll(List.of(j.ref(), j.left(), j.right()));
        }
        List<Map<String, Boolean>> picks = new ArrayList<>();
        test.forEach(j -> picks.add(new LinkedHashMap<>()));
        for (Comparison.Entry m : models) {
            try (FeatureSource source = new FeatureSource(m.request(), store, cache, FeatureNorm.NONE, 64)) {
                MappedFloats f = source.vectors(images, "examples");
                for (int i = 0; i < test.size(); i++) {
                    float[] ref = f.row(3L * i);
                    picks.get(i).put(m.name(), cosineDistance(ref, f.row(3L * i + 1)) < cosineDistance(ref, f.row(3L * i + 2)));
                }
            }
        }
        List<Lead.Example> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            Judgment j = test.get(i);
            out.add(new Lead.Example(j.ref(), j.left(), j.right(), j.leftVote(), picks.get(i)));
        }
        return out;
    }

    static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        return 1 - dot / Math.sqrt(na * nb);
    }
}
