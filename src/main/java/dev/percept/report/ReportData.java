package dev.percept.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a report shows, read from `percept compare` and `percept eval` JSON files. */
public record ReportData(List<Path> sources, List<Model> models, List<Table> tables, List<Gallery> galleries) {

    /** A model as the tables name it: a short name, its --model spec, --adapter and --head (null: none). */
    public record Model(String name, String model, String adapter, String head) {}

    /** A metric value with its 95% confidence interval. */
    public record Cell(double value, double low, double high) {}

    public record Metric(String name, boolean higherIsBetter) {}

    /** a minus b on one metric, with its interval and p-value. */
    public record Difference(String a, String b, double diff, double low, double high, double p, boolean significant) {}

    /**
     * One task on one dataset: {@code cells.get(row).get(metric)}, rows and metrics in first-seen
     * order; {@code differences.get(metric)} the comparisons `percept compare` made on it.
     */
    public record Table(String task, String dataset, List<Metric> metrics, List<String> rows,
            Map<String, Map<String, Cell>> cells, Map<String, List<Difference>> differences) {}

    public record Hit(Path image, String label, double distance, boolean correct) {}

    /** A query and its top-k per model name. */
    public record Query(Path image, String label, Map<String, List<Hit>> results) {}

    public record Gallery(String task, String dataset, int k, List<Query> queries) {}
}
