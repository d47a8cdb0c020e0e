package dev.percept.demo;

import dev.percept.eval.ComparisonReport;
import java.util.List;
import java.util.Locale;

/**
 * The paper's pattern, checked on the demo's numbers: does the NIGHTS-aligned model gain on
 * counting, segmentation, depth and retrieval and lose on category classification, and which
 * triplet source helps counting and retrieval most? Stated as measured, whichever way it lands.
 */
final class Findings {
    /** The one metric per task that the summary reads. */
    private static final List<String[]> HEADLINE = List.of(
            new String[] {"counting", "mae"}, new String[] {"segmentation", "miou"}, new String[] {"depth", "rmse"},
            new String[] {"retrieval", "recall@1"}, new String[] {"classification", "accuracy"});

    private Findings() {}

    static String summary(List<ComparisonReport.Column> columns, String base, String aligned, List<String> variants) {
        StringBuilder out = new StringBuilder("What the demo measured (" + aligned + " against " + base
                + "; paper: gains on the first four, a loss on classification):\n");
        for (String[] h : HEADLINE) {
            ComparisonReport.Column c = column(columns, h[0], h[1]);
            if (c == null) {
                continue;
            }
            ComparisonReport.Difference d = c.differences().stream().filter(x -> x.a().equals(aligned)).findFirst().orElseThrow();
            boolean better = c.higherIsBetter() ? d.d().diff() > 0 : d.d().diff() < 0;
            out.append(String.format(Locale.ROOT, "  %-15s %-9s %.4f -> %.4f: %s%s (p = %.3f)%n", h[0], h[1],
                    c.values().get(base).mean(), c.values().get(aligned).mean(), better ? "better" : "worse",
                    d.d().significant() ? ", significant" : ", not significant", d.d().p()));
        }
        for (String[] h : List.of(HEADLINE.get(0), HEADLINE.get(3))) {
            ComparisonReport.Column c = column(columns, h[0], h[1]);
            if (c != null) {
                String best = variants.stream()
                        .filter(v -> !v.contains("patch"))
                        .reduce((a, b) -> (c.higherIsBetter() ? c.values().get(b).mean() > c.values().get(a).mean()
                                : c.values().get(b).mean() < c.values().get(a).mean()) ? b : a)
                        .orElseThrow();
                out.append(String.format(Locale.ROOT, "  best triplet source for %s: %s (paper: NIGHTS)%n", h[0], best));
            }
        }
        return out.toString();
    }

    private static ComparisonReport.Column column(List<ComparisonReport.Column> columns, String task, String metric) {
        return columns.stream().filter(c -> c.item().label().equals(task) && c.metric().equals(metric)).findFirst().orElse(null);
    }
}
