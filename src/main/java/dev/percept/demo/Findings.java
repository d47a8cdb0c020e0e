package dev.percept.demo;

import dev.percept.eval.ComparisonReport;
import dev.percept.report.Lead;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's pattern, checked on the demo's numbers: does NIGHTS alignment raise agreement with
 * the judges (image and patch level), help counting, segmentation, depth and retrieval, and cost
 * category classification; and which triplet source helps counting and retrieval most? Stated as
 * measured, whichever way it lands, with the paired-bootstrap interval of each difference.
 */
final class Findings {
    /** One line of the findings: a task's headline metric for one aligned model, and the paper's direction. */
    private record Headline(String task, String metric, String base, String model, String label, boolean paperBetter) {}

    /** The label of the patch-level 2AFC column (both models on cls_patch features). */
    static final String PATCH_2AFC = "2afc (cls_patch)";

    private static final List<Headline> HEADLINES = List.of(
            new Headline("2afc", "2afc", "base", "nights", "2AFC, NIGHTS-like test, image level (cls)", true),
            new Headline(PATCH_2AFC, "2afc", Demo.BASE_PATCH, Demo.NIGHTS_PATCH, "2AFC, NIGHTS-like test, patch level (cls_patch)",
                    true),
            new Headline("counting", "mae", "base", "nights", "counting (MAE)", true),
            new Headline("segmentation", "miou", "base", "nights", "segmentation (mIoU)", true),
            new Headline("depth", "rmse", "base", "nights", "depth (RMSE)", true),
            new Headline("retrieval", "recall@1", "base", "nights", "retrieval (recall@1)", true),
            new Headline("classification", "accuracy", "base", "nights", "classification (accuracy)", false));

    private Findings() {}

    static List<Lead.Finding> lines(List<ComparisonReport.Column> columns) {
        List<Lead.Finding> out = new ArrayList<>();
        for (Headline h : HEADLINES) {
            ComparisonReport.Column c = column(columns, h.task(), h.metric());
            if (c == null || !c.values().containsKey(h.model())) {
                continue;
            }
            ComparisonReport.Difference d = c.differences().stream().filter(x -> x.a().equals(h.model())).findFirst().orElseThrow();
            boolean better = c.higherIsBetter() ? d.d().diff() > 0 : d.d().diff() < 0;
            Lead.Verdict verdict = !d.d().significant() ? Lead.Verdict.UNCLEAR
                    : better == h.paperBetter() ? Lead.Verdict.AS_IN_PAPER : Lead.Verdict.OPPOSITE;
            String text = String.format(Locale.ROOT, "%.3f \u2192 %.3f, %s %+.3f [%+.3f, %+.3f], p %s", c.values().get(h.base()).mean(),
                    c.values().get(h.model()).mean(), better ? "better by" : "worse by", d.d().diff(), d.d().low(), d.d().high(),
                    d.d().p() < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "= %.3f", d.d().p()));
            out.add(new Lead.Finding(h.label(), text, verdict));
        }
        return out;
    }

    /** The findings for the terminal: two lines per task, at most 100 columns. */
    static String summary(List<ComparisonReport.Column> columns, List<String> variants) {
        StringBuilder out = new StringBuilder("What NIGHTS-like alignment did against the base model"
                + " (paired bootstrap over the test items;\n paper: agreement with the judges up, dense tasks and retrieval"
                + " better, classification worse):\n");
        for (Lead.Finding f : lines(columns)) {
            out.append("  ").append(f.task()).append('\n').append("      ").append(f.text()).append("  ")
                    .append(switch (f.verdict()) {
                        case AS_IN_PAPER -> "as in the paper";
                        case OPPOSITE -> "opposite to the paper";
                        case UNCLEAR -> "no clear change";
                    }).append('\n');
        }
        for (String[] h : List.of(new String[] {"counting", "mae"}, new String[] {"retrieval", "recall@1"})) {
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
