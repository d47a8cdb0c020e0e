package dev.percept.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.console.TextTable;
import dev.percept.io.JsonFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Comparison} as the paper-style table (rows: models, columns: task metrics, the best
 * per column marked {@code *}, then one row per difference against the first model with its
 * significance) and as {@code compare.json}, whose schema the HTML report reads.
 */
public final class ComparisonReport {
    private ComparisonReport() {}

    /** One column: a metric of one suite entry, with each model's interval and the differences. */
    public record Column(Comparison.SuiteItem item, String metric, boolean higherIsBetter, Map<String, Bootstrap.Interval> values,
            String best, List<Difference> differences) {}

    /** {@code a - b} for the same metric on the same test items. */
    public record Difference(String a, String b, Bootstrap.Difference d) {}

    public static List<Column> columns(Comparison.Result result, long seed) {
        List<Column> out = new ArrayList<>();
        String base = result.models().get(0).name();
        for (int s = 0; s < result.suite().size(); s++) {
            TaskResult first = result.results().get(base).get(s);
            for (Metric m : first.metrics()) {
                Map<String, Bootstrap.Interval> values = new LinkedHashMap<>();
                String best = null;
                for (Comparison.Entry e : result.models()) {
                    Bootstrap.Interval i = Bootstrap.interval(result.results().get(e.name()).get(s).metric(m.name()), Bootstrap.RESAMPLES, seed);
                    values.put(e.name(), i);
                    if (best == null || (m.higherIsBetter() ? i.mean() > values.get(best).mean() : i.mean() < values.get(best).mean())) {
                        best = e.name();
                    }
                }
                List<Difference> diffs = new ArrayList<>();
                for (Comparison.Entry e : result.models().subList(1, result.models().size())) {
                    Metric a = result.results().get(e.name()).get(s).metric(m.name());
                    diffs.add(new Difference(e.name(), base, Bootstrap.paired(a, m, Bootstrap.RESAMPLES, seed)));
                }
                out.add(new Column(result.suite().get(s), m.name(), m.higherIsBetter(), values, best, diffs));
            }
        }
        return out;
    }

    /** Significance marks: * p < 0.05, ** p < 0.01, *** p < 0.001. */
    public static String stars(double p) {
        return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : "";
    }

    /** How the tables mark things, in lines that fit the terminal. */
    public static final String LEGEND = "* best per row (^ higher is better, v lower); differences: paired bootstrap over test items,\n"
            + "  * p < 0.05, ** p < 0.01, *** p < 0.001\n";

    /**
     * One row per task metric and one column per model (the best marked), then one row per task
     * metric and one column per model minus the first (headed "minus <first>") with its significance; at most
     * {@link TextTable#WIDTH} columns wide (more models continue in further blocks).
     */
    public static String table(Comparison.Result result, List<Column> columns) {
        List<String> header = new ArrayList<>(List.of("metric"));
        result.models().forEach(e -> header.add(e.name()));
        TextTable values = new TextTable(header);
        for (Column c : columns) {
            List<String> row = new ArrayList<>(List.of(header(c)));
            for (Comparison.Entry e : result.models()) {
                row.add(String.format(Locale.ROOT, "%.4f%s", c.values().get(e.name()).mean(), e.name().equals(c.best()) ? "*" : " "));
            }
            values.row(row);
        }
        StringBuilder s = new StringBuilder(values.render());
        if (result.models().size() > 1) {
            List<String> diffHeader = new ArrayList<>(List.of("minus " + result.models().get(0).name()));
            columns.get(0).differences().forEach(d -> diffHeader.add(d.a()));
            TextTable diffs = new TextTable(diffHeader);
            for (Column c : columns) {
                List<String> row = new ArrayList<>(List.of(header(c)));
                for (Difference d : c.differences()) {
                    row.add(String.format(Locale.ROOT, "%+.4f%-3s", d.d().diff(), stars(d.d().p())));
                }
                diffs.row(row);
            }
            s.append('\n').append(diffs.render());
        }
        return s.append(LEGEND).toString();
    }

    private static String header(Column c) {
        return c.item().label() + " " + c.metric() + (c.higherIsBetter() ? " ^" : " v");
    }

    /** compare.json: models, one entry per (task, metric) column, and galleries of retrieval and kNN. */
    public static ObjectNode json(Comparison.Result result, List<Column> columns) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        ArrayNode models = root.putArray("models");
        for (Comparison.Entry e : result.models()) {
            ObjectNode m = models.addObject();
            m.put("name", e.name());
            m.put("model", e.request().spec());
            EvalResult.EvaluatedModel described = EvalResult.EvaluatedModel.of(e.request());
            m.put("adapter", described.adapter());
            m.put("head", described.head());
        }
        ArrayNode tasks = root.putArray("tasks");
        for (Column c : columns) {
            ObjectNode t = tasks.addObject();
            t.put("task", c.item().label());
            t.put("dataset", c.item().data().toString());
            t.put("metric", c.metric());
            t.put("higher_is_better", c.higherIsBetter());
            ObjectNode values = t.putObject("values");
            c.values().forEach((name, i) -> {
                ObjectNode v = values.putObject(name);
                v.put("value", i.mean());
                v.put("ci_low", i.low());
                v.put("ci_high", i.high());
            });
            t.put("best", c.best());
            ArrayNode diffs = t.putArray("differences");
            for (Difference d : c.differences()) {
                ObjectNode n = diffs.addObject();
                n.put("a", d.a());
                n.put("b", d.b());
                n.put("diff", d.d().diff());
                n.put("ci_low", d.d().low());
                n.put("ci_high", d.d().high());
                n.put("p", d.d().p());
                n.put("significant", d.d().significant());
            }
        }
        ArrayNode galleries = root.putArray("galleries");
        for (int s = 0; s < result.suite().size(); s++) {
            Gallery first = result.results().get(result.models().get(0).name()).get(s).gallery();
            if (first == null) {
                continue;
            }
            ObjectNode g = galleries.addObject();
            g.put("task", result.suite().get(s).label());
            g.put("dataset", result.suite().get(s).data().toString());
            g.put("k", first.k());
            ArrayNode queries = g.putArray("queries");
            for (int q = 0; q < first.queries().size(); q++) {
                Gallery.Query query = first.queries().get(q);
                ObjectNode qn = queries.addObject();
                qn.put("query", query.image().toString());
                qn.put("label", query.label());
                ObjectNode results = qn.putObject("results");
                for (Comparison.Entry e : result.models()) {
                    Gallery.Query mine = result.results().get(e.name()).get(s).gallery().queries().get(q);
                    ArrayNode list = results.putArray(e.name());
                    for (Gallery.Neighbour nb : mine.results()) {
                        ObjectNode n = list.addObject();
                        n.put("path", nb.image().toString());
                        n.put("label", nb.label());
                        n.put("distance", nb.distance());
                        n.put("correct", nb.correct());
                    }
                }
            }
        }
        return root;
    }
}
