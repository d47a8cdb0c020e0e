package dev.percept.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.eval.Bootstrap;
import dev.percept.eval.Comparison;
import dev.percept.eval.ComparisonReport;
import dev.percept.eval.DownstreamTask;
import dev.percept.report.Lead;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The findings read each headline against the paper's direction, with the interval of the difference. */
class FindingsTest {
    private static ComparisonReport.Column column(String label, String task, String metric, boolean higher, String base,
            double baseValue, String model, double value, double low, double high, double p) {
        Map<String, Bootstrap.Interval> values = new LinkedHashMap<>();
        values.put(base, new Bootstrap.Interval(baseValue, baseValue - 0.1, baseValue + 0.1, 100));
        values.put(model, new Bootstrap.Interval(value, value - 0.1, value + 0.1, 100));
        return new ComparisonReport.Column(new Comparison.SuiteItem(label, DownstreamTask.parse(task), Path.of("d")), metric, higher,
                values, base, List.of(new ComparisonReport.Difference(model, base,
                        new Bootstrap.Difference(value - baseValue, low, high, p))));
    }

    @Test
    void eachHeadlineIsJudgedAgainstThePapersDirection() {
        List<ComparisonReport.Column> columns = List.of(
                column("2afc", "2afc", "2afc", true, "base", 0.70, "nights", 0.78, 0.05, 0.11, 0.0004),
                column(Findings.PATCH_2AFC, "2afc", "2afc", true, Demo.BASE_PATCH, 0.71, Demo.NIGHTS_PATCH, 0.72, -0.01, 0.03, 0.4),
                column("counting", "counting", "mae", false, "base", 1.3, "nights", 1.5, 0.1, 0.3, 0.01),
                column("classification", "classification", "accuracy", true, "base", 0.4, "nights", 0.3, -0.15, -0.05, 0.002));
        List<Lead.Finding> lines = Findings.lines(columns);
        assertEquals(4, lines.size());
        assertEquals(Lead.Verdict.AS_IN_PAPER, lines.get(0).verdict());
        assertEquals("0.700 \u2192 0.780, better by +0.080 [+0.050, +0.110], p < 0.001", lines.get(0).text());
        assertEquals(Lead.Verdict.UNCLEAR, lines.get(1).verdict(), "not significant");
        assertTrue(lines.get(1).text().startsWith("0.710 \u2192 0.720"), "read against the patch-level base");
        assertEquals(Lead.Verdict.OPPOSITE, lines.get(2).verdict(), "a higher counting error");
        assertEquals(Lead.Verdict.AS_IN_PAPER, lines.get(3).verdict(), "classification drops, as in the paper");
        String summary = Findings.summary(columns, List.of("nights"));
        assertTrue(summary.lines().allMatch(l -> l.length() <= 100), summary);
    }
}
