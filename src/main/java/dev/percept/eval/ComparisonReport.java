package dev.percept.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    public static String table(Comparison.Result result, List<Column> columns) {
        int width = 14;
        for (Column c : columns) {
            width = Math.max(width, header(c).length() + 2);
        }
        int nameWidth = 10;
        for (Comparison.Entry e : result.models()) {
            nameWidth = Math.max(nameWidth, e.name().length() + 10);
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "model"));
        for (Column c : columns) {
            s.append(String.format(Locale.ROOT, "%" + width + "s", header(c)));
        }
        s.append('\n');
        for (Comparison.Entry e : result.models()) {
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", e.name()));
            for (Column c : columns) {
                s.append(String.format(Locale.ROOT, "%" + width + "s",
                        String.format(Locale.ROOT, "%.4f%s", c.values().get(e.name()).mean(), e.name().equals(c.best()) ? "*" : " ")));
            }
            s.append('\n');
        }
        for (int d = 0; d < result.models().size() - 1; d++) {
            Difference first = columns.get(0).differences().get(d);
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", first.a() + " - " + first.b()));
            for (Column c : columns) {
                Bootstrap.Difference diff = c.differences().get(d).d();
                s.append(String.format(Locale.ROOT, "%" + width + "s", String.format(Locale.ROOT, "%+.4f%-3s", diff.diff(), stars(diff.p()))));
            }
            s.append('\n');
        }
        s.append("* best per column (arrows: higher or lower is better); differences: paired bootstrap over test items, "
                + "* p < 0.05, ** p < 0.01, *** p < 0.001\n");
        return s.toString();
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
            if (e.request().adapters().isEmpty()) {
                m.putNull("adapter");
            } else {
                m.put("adapter", String.join(",", e.request().adapters().stream().map(Object::toString).toList()));
            }
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
