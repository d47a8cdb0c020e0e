package dev.percept.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.io.JsonFiles;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One model's result of one protocol as a printed table and as JSON, with 95% bootstrap intervals over test items. */
public final class TaskReport {
    private TaskReport() {}

    /** Each metric's value and interval, in the result's order. */
    public static Map<String, Bootstrap.Interval> intervals(TaskResult r, long seed) {
        Map<String, Bootstrap.Interval> out = new LinkedHashMap<>();
        for (Metric m : r.metrics()) {
            out.put(m.name(), Bootstrap.interval(m, Bootstrap.RESAMPLES, seed));
        }
        return out;
    }

    public static String table(TaskResult r, String model, Map<String, Bootstrap.Interval> intervals) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s, %s on %s (%s)%n%-16s %10s   %s%n",
                r.task(), model, r.dataset(), r.layout(), "metric", "value", "95% CI"));
        for (Metric m : r.metrics()) {
            Bootstrap.Interval i = intervals.get(m.name());
            s.append(String.format(Locale.ROOT, "%-16s %10.4f   [%.4f, %.4f]  %s%n", m.name(), i.mean(), i.low(), i.high(),
                    m.higherIsBetter() ? "higher is better" : "lower is better"));
        }
        return s.toString();
    }

    /**
     * {@code {"task", "dataset", "layout", "model", "adapter", "features", "n", "metrics": {name:
     * {"value", "ci_low", "ci_high", "higher_is_better"}}, "details": {...}}}.
     */
    public static ObjectNode json(TaskResult r, String model, String adapter, String features, Map<String, Bootstrap.Interval> intervals) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        root.put("task", r.task());
        root.put("dataset", r.dataset().toString());
        root.put("layout", r.layout());
        root.put("model", model);
        if (adapter == null) {
            root.putNull("adapter");
        } else {
            root.put("adapter", adapter);
        }
        root.put("features", features);
        root.put("n", r.metrics().get(0).items().length);
        ObjectNode metrics = root.putObject("metrics");
        for (Metric m : r.metrics()) {
            Bootstrap.Interval i = intervals.get(m.name());
            ObjectNode node = metrics.putObject(m.name());
            node.put("value", i.mean());
            node.put("ci_low", i.low());
            node.put("ci_high", i.high());
            node.put("higher_is_better", m.higherIsBetter());
        }
        root.set("details", JsonFiles.mapper().valueToTree(r.details()));
        return root;
    }
}
