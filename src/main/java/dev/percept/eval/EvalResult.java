package dev.percept.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.console.TextTable;
import dev.percept.embed.ModelRequest;
import dev.percept.io.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one evaluation reports, in the one schema every evaluation writes (downstream tasks, 2AFC,
 * retrieval-augmented classification, the validation of an alignment run, the kNN check of
 * pretraining) and `percept report` and `percept compare` read:
 * {@code {"task", "dataset", "layout", "model", "adapter", "head", "features", "setting", "n",
 * "metrics": {name: {"value", "ci_low", "ci_high", "higher_is_better", "n"}}, "details": {...},
 * "per_seed": [...]}}, plus any protocol-specific top-level keys ({@code extra}).
 *
 * @param layout the dataset layout, or null where there is none (2AFC sources, RAG folders)
 * @param setting null, or what makes runs of one task incomparable (rag: the classifier and k)
 * @param perSeed null, or one entry per seed for protocols that repeat over seeds
 * @param extra top-level keys of one protocol (rag's {@code classifier}, {@code k}, ...)
 */
public record EvalResult(String task, String dataset, String layout, EvaluatedModel model, String setting, List<Score> metrics,
        Map<String, Object> details, List<Map<String, Object>> perSeed, Map<String, Object> extra) {

    /** A metric's value with its 95% interval over {@code n} items (or seeds). */
    public record Score(String name, double value, double low, double high, boolean higherIsBetter, int n) {
        public static Score of(String name, boolean higherIsBetter, Bootstrap.Interval i) {
            return new Score(name, i.mean(), i.low(), i.high(), higherIsBetter, i.n());
        }
    }

    /**
     * Which model was evaluated: its --model spec, its adapter(s) (comma-separated), its MLP head,
     * and the feature mode the protocol read ("default": each member's own).
     */
    public record EvaluatedModel(String model, String adapter, String head, String features) {
        public static EvaluatedModel of(ModelRequest r) {
            return new EvaluatedModel(r.spec(), r.adapters().isEmpty() ? null : String.join(",", r.adapters().stream().map(Path::toString).toList()),
                    r.head() == null ? null : r.head().toString(), r.features() == null ? "default" : r.features().cliName());
        }

        public EvaluatedModel withFeatures(String features) {
            return new EvaluatedModel(model, adapter, head, features);
        }
    }

    public EvalResult {
        metrics = List.copyOf(metrics);
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
        extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    /** A protocol's measurement with 95% percentile-bootstrap intervals over its test items. */
    public static EvalResult of(TaskResult r, EvaluatedModel model, long seed) {
        List<Score> scores = new ArrayList<>();
        for (Metric m : r.metrics()) {
            scores.add(Score.of(m.name(), m.higherIsBetter(), Bootstrap.interval(m, Bootstrap.RESAMPLES, seed)));
        }
        boolean dense = java.util.Arrays.stream(DownstreamTask.values()).anyMatch(t -> t.cliName().equals(r.task()) && t.dense());
        EvaluatedModel read = dense ? model.withFeatures("patch_tokens") : model;
        return new EvalResult(r.task(), r.dataset().toString(), r.layout(), read, null, scores, r.details(), null, null);
    }

    public Score metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(task + " has no metric " + name));
    }

    /** Items behind the first metric. */
    public int n() {
        return metrics.isEmpty() ? 0 : metrics.get(0).n();
    }

    public EvalResult withSetting(String setting) {
        return new EvalResult(task, dataset, layout, model, setting, metrics, details, perSeed, extra);
    }

    public ObjectNode json() {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        root.put("task", task);
        root.put("dataset", dataset);
        root.put("layout", layout);
        root.put("model", model.model());
        root.put("adapter", model.adapter());
        root.put("head", model.head());
        root.put("features", model.features());
        root.put("setting", setting);
        root.put("n", n());
        ObjectNode ms = root.putObject("metrics");
        for (Score s : metrics) {
            ms.putObject(s.name()).put("value", s.value()).put("ci_low", s.low()).put("ci_high", s.high())
                    .put("higher_is_better", s.higherIsBetter()).put("n", s.n());
        }
        root.set("details", JsonFiles.mapper().valueToTree(details));
        if (perSeed != null) {
            ArrayNode seeds = root.putArray("per_seed");
            perSeed.forEach(s -> seeds.add(JsonFiles.mapper().<ObjectNode>valueToTree(s)));
        }
        extra.forEach((k, v) -> root.set(k, JsonFiles.mapper().valueToTree(v)));
        return root;
    }

    public void write(Path file) {
        JsonFiles.write(file, json());
    }

    /** The printed form: a title line, then one row per metric; at most {@link TextTable#WIDTH} columns. */
    public String table() {
        String who = model.model() + (model.adapter() == null ? "" : " + " + model.adapter())
                + (model.head() == null ? "" : " + head " + model.head());
        StringBuilder s = new StringBuilder(TextTable.title(task + (setting == null ? "" : " (" + setting + ")") + ", " + who));
        s.append(TextTable.title("on " + dataset + (layout == null ? "" : " (" + layout + ")")));
        TextTable t = new TextTable("metric", "n", "value", "95% CI", "");
        for (Score m : metrics) {
            t.row(m.name(), Integer.toString(m.n()), String.format(Locale.ROOT, "%.4f", m.value()),
                    String.format(Locale.ROOT, "[%.4f, %.4f]", m.low(), m.high()), m.higherIsBetter() ? "higher is better" : "lower is better");
        }
        return s.append(t.render()).toString();
    }
}
