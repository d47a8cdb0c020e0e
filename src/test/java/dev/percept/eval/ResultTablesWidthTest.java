package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.console.TextTable;
import dev.percept.embed.ModelRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What compare, eval and the demo print fits in 100 columns, at the demo's size (six models, seventeen metrics). */
class ResultTablesWidthTest {
    private static final List<String> MODELS = List.of("base", "nights", "nights-patch", "bapps", "things", "imagenet");
    private static final Map<String, List<String>> SUITE = new LinkedHashMap<>();

    static {
        SUITE.put("2afc", List.of("2afc", "2afc_imagenet", "2afc_other"));
        SUITE.put("counting", List.of("mae", "rmse"));
        SUITE.put("segmentation", List.of("miou", "pixel_accuracy"));
        SUITE.put("depth", List.of("rmse", "abs_rel", "log10", "delta1", "delta2", "delta3"));
        SUITE.put("retrieval", List.of("recall@1", "recall@3", "recall@5"));
        SUITE.put("classification", List.of("accuracy"));
    }

    private static Comparison.Result demoSizedComparison() {
        SplittableRandom random = new SplittableRandom(1);
        List<Comparison.Entry> entries = MODELS.stream()
                .map(m -> new Comparison.Entry(m, ModelRequest.of("/home/someone/percept/demo/standin"))).toList();
        List<Comparison.SuiteItem> suite = new ArrayList<>();
        SUITE.keySet().forEach(t -> suite.add(new Comparison.SuiteItem(t, DownstreamTask.parse(t),
                Path.of("/home/someone/percept/demo-out/world/" + t))));
        Map<String, List<TaskResult>> results = new LinkedHashMap<>();
        for (String m : MODELS) {
            List<TaskResult> rs = new ArrayList<>();
            for (Comparison.SuiteItem item : suite) {
                List<Metric> metrics = new ArrayList<>();
                for (String name : SUITE.get(item.label())) {
                    double[][] rows = new double[40][];
                    for (int i = 0; i < rows.length; i++) {
                        rows[i] = new double[] {random.nextDouble() * 3};
                    }
                    metrics.add(Metric.mean(name, !name.contains("mae") && !name.contains("rmse"), rows, 0));
                }
                rs.add(new TaskResult(item.label(), item.data(), null, metrics, Map.of(), null));
            }
            results.put(m, rs);
        }
        return new Comparison.Result(entries, suite, results);
    }

    private static void assertFits(String text) {
        text.lines().forEach(l -> assertTrue(l.length() <= TextTable.WIDTH, l.length() + " columns: " + l));
    }

    @Test
    void theComparisonTableOfTheDemoFits() {
        Comparison.Result r = demoSizedComparison();
        String table = ComparisonReport.table(r, ComparisonReport.columns(r, 1));
        assertFits(table);
        assertEquals(2 * 18 + 2, table.lines().filter(l -> !l.isBlank()).count(),
                "one block each: a header and seventeen metric rows for values and for differences, and the legend");
        assertTrue(table.lines().anyMatch(l -> l.matches("minus base +nights +nights-patch +bapps +things +imagenet")), table);
    }

    @Test
    void anEvaluationTableWithALongDatasetPathFits() {
        Comparison.Result r = demoSizedComparison();
        TaskResult depth = r.results().get("nights").get(3);
        EvalResult e = EvalResult.of(new TaskResult("depth", Path.of("/data/" + "nested/".repeat(20) + "nyu"), "nyu",
                depth.metrics(), Map.of(), null),
                new EvalResult.EvaluatedModel("dino_vitb16", "/runs/" + "long-run-name-".repeat(6) + "/adapter", null, "default"), 1);
        assertFits(e.table());
        assertEquals(2 + 1 + 6, e.table().lines().count(), "two title lines, a header and a row per metric");
    }
}
