package dev.percept.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one protocol measured for one model: its metrics with per-test-item statistics (for
 * intervals and paired comparisons), the settings it chose, and optionally a gallery.
 *
 * @param details chosen hyper-parameters and sizes, for the JSON output
 * @param gallery null where the protocol has no neighbours to show
 */
public record TaskResult(String task, Path dataset, String layout, List<Metric> metrics, Map<String, Object> details, Gallery gallery) {
    public Metric metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(task + " has no metric " + name));
    }
}
