package dev.percept.report;

import dev.percept.console.TextTable;
import dev.percept.eval.ComparisonReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Result files as terminal tables (`percept compare --in`): per task and dataset one row per
 * metric and one column per model, the best per row marked {@code *}, then the differences the
 * files carry (those of `percept compare`) with their significance.
 */
public final class ResultTables {
    private ResultTables() {}

    public static String text(ReportData data) {
        StringBuilder out = new StringBuilder();
        for (ReportData.Table t : data.tables()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(TextTable.title(t.task() + " on " + t.dataset()));
            List<String> header = new ArrayList<>(List.of("metric"));
            header.addAll(t.rows());
            TextTable values = new TextTable(header);
            List<String> pairs = new ArrayList<>();
            for (ReportData.Metric m : t.metrics()) {
                String best = best(t, m);
                List<String> row = new ArrayList<>(List.of(m.name() + (m.higherIsBetter() ? " ^" : " v")));
                for (String model : t.rows()) {
                    ReportData.Cell c = t.cells().get(model).get(m.name());
                    row.add(c == null ? "-" : String.format(Locale.ROOT, "%.4f%s", c.value(), model.equals(best) ? "*" : " "));
                }
                values.row(row);
                for (ReportData.Difference d : t.differences().getOrDefault(m.name(), List.of())) {
                    String pair = d.a() + " - " + d.b();
                    if (!pairs.contains(pair)) {
                        pairs.add(pair);
                    }
                }
            }
            out.append(values.render());
            if (!pairs.isEmpty()) {
                List<String> dh = new ArrayList<>(List.of("difference"));
                dh.addAll(pairs);
                TextTable diffs = new TextTable(dh);
                for (ReportData.Metric m : t.metrics()) {
                    List<String> row = new ArrayList<>(List.of(m.name()));
                    for (String pair : pairs) {
                        row.add(t.differences().getOrDefault(m.name(), List.of()).stream()
                                .filter(d -> pair.equals(d.a() + " - " + d.b())).findFirst()
                                .map(d -> String.format(Locale.ROOT, "%+.4f%-3s", d.diff(), ComparisonReport.stars(d.p()))).orElse("-"));
                    }
                    diffs.row(row);
                }
                out.append(diffs.render());
            }
        }
        return out.append(ComparisonReport.LEGEND).toString();
    }

    private static String best(ReportData.Table t, ReportData.Metric m) {
        String best = null;
        double value = 0;
        for (String model : t.rows()) {
            ReportData.Cell c = t.cells().get(model).get(m.name());
            if (c != null && (best == null || (m.higherIsBetter() ? c.value() > value : c.value() < value))) {
                best = model;
                value = c.value();
            }
        }
        return best;
    }
}
