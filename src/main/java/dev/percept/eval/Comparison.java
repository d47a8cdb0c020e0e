package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.embed.ModelRequest;
import dev.percept.hub.ModelStore;
import dev.percept.model.FeatureNorm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A suite of downstream protocols run for several models (for example a base model and the
 * same model with an alignment adapter), each model's features extracted once per dataset
 * through the cache. The first model is the baseline the others are compared against.
 */
public final class Comparison {
    private Comparison() {}

    /** A model under a short name (the table's row label). */
    public record Entry(String name, ModelRequest request) {}

    /** One protocol on one dataset; {@code label} is how the suite named it (e.g. classification). */
    public record SuiteItem(String label, DownstreamTask task, Path data) {}

    /** Per model name, its results in suite order. */
    public record Result(List<Entry> models, List<SuiteItem> suite, Map<String, List<TaskResult>> results) {}

    public static Result run(List<Entry> models, List<SuiteItem> suite, ModelStore store, FeatureCache cache, FeatureNorm normalization,
            int batch, TaskOptions options) {
        if (models.isEmpty() || suite.isEmpty()) {
            throw new PerceptException("compare needs at least one model and one suite entry");
        }
        if (new HashSet<>(models.stream().map(Entry::name).toList()).size() != models.size()) {
            throw new PerceptException("compare: model names must differ, got " + models.stream().map(Entry::name).toList());
        }
        for (SuiteItem item : suite) { // a typo in a path fails before any model runs
            if (!java.nio.file.Files.exists(item.data())) {
                throw new PerceptException("--suite " + item.label() + "=" + item.data() + ": no such file or folder");
            }
        }
        Map<String, List<TaskResult>> results = new LinkedHashMap<>();
        for (Entry model : models) {
            List<TaskResult> rs = new ArrayList<>();
            try (FeatureSource source = new FeatureSource(model.request(), store, cache, normalization, batch)) {
                for (SuiteItem item : suite) {
                    System.err.printf("compare: %s, %s on %s%n", model.name(), item.label(), item.data());
                    rs.add(item.task().run(source, item.data(), options));
                }
            }
            results.put(model.name(), rs);
        }
        return new Result(models, suite, results);
    }
}
