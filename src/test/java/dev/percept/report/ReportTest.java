package dev.percept.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading compare and eval results, and the HTML they become. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void evalResultsMergeIntoTablesUnderTheCompareModelNames() throws IOException {
        Path compare = ReportFixtures.write(dir.resolve("compare.json"), ReportFixtures.compare(dir.resolve("img")));
        Path rag = ReportFixtures.write(dir.resolve("rag.json"), ReportFixtures.rag());
        ObjectNode other = ReportFixtures.rag();
        other.put("adapter", (String) null);
        other.put("model", "clip_vitb16");
        Path clip = ReportFixtures.write(dir.resolve("clip.json"), other);
        ObjectNode base = ReportFixtures.rag();
        base.put("adapter", (String) null);
        Path baseRag = ReportFixtures.write(dir.resolve("base.json"), base);
        ReportData data = ResultFiles.read(List.of(rag, compare, clip, baseRag));
        assertEquals(List.of("base", "aligned", "clip_vitb16"), data.models().stream().map(ReportData.Model::name).toList());
        assertEquals(List.of("counting", "retrieval", "rag (vote, k=3)"), data.tables().stream().map(ReportData.Table::task).toList());
        ReportData.Table ragTable = data.tables().get(2);
        // Eval results take the compare names of their model and adapter; rows follow the compare models.
        assertEquals(List.of("base", "aligned", "clip_vitb16"), ragTable.rows());
        assertEquals(0.62, ragTable.cells().get("aligned").get("accuracy").value());
        assertEquals(dir.resolve("img/query1.png").toAbsolutePath(), data.galleries().get(0).queries().get(1).image());
    }

    @Test
    void aMissingKeyIsNamedWithItsFileAndPath() throws IOException {
        ObjectNode compare = ReportFixtures.compare(dir.resolve("img"));
        ((ObjectNode) compare.get("tasks").get(1).get("values").get("aligned")).remove("ci_low");
        Path file = ReportFixtures.write(dir.resolve("compare.json"), compare);
        PerceptException e = assertThrows(PerceptException.class, () -> ResultFiles.read(List.of(file)));
        assertEquals(file + ": tasks[1].values.aligned is missing key 'ci_low'", e.getMessage());

        ObjectNode rag = ReportFixtures.rag();
        rag.remove("metrics");
        Path ragFile = ReportFixtures.write(dir.resolve("rag.json"), rag);
        e = assertThrows(PerceptException.class, () -> ResultFiles.read(List.of(ragFile)));
        assertEquals(ragFile + ": is missing key 'metrics'", e.getMessage());

        ObjectNode moved = ReportFixtures.compare(dir.resolve("img"));
        Files.delete(dir.resolve("img/aligned1_2.png"));
        Path movedFile = ReportFixtures.write(dir.resolve("moved.json"), moved);
        e = assertThrows(PerceptException.class, () -> ResultFiles.read(List.of(movedFile)));
        assertEquals(movedFile + ": galleries[0].queries[1].results.aligned[2].path: no such image "
                + dir.resolve("img/aligned1_2.png").toAbsolutePath(), e.getMessage());

        Path neither = ReportFixtures.write(dir.resolve("x.json"), ReportFixtures.JSON.createObjectNode().put("a", 1));
        e = assertThrows(PerceptException.class, () -> ResultFiles.read(List.of(neither)));
        assertTrue(e.getMessage().startsWith(neither + ": neither"), e.getMessage());
    }

    @Test
    void conflictingValuesForOneCellAreRefused() throws IOException {
        Path a = ReportFixtures.write(dir.resolve("a.json"), ReportFixtures.rag());
        ObjectNode changed = ReportFixtures.rag();
        ((ObjectNode) changed.get("metrics").get("accuracy")).put("value", 0.5);
        Path b = ReportFixtures.write(dir.resolve("b.json"), changed);
        PerceptException e = assertThrows(PerceptException.class, () -> ResultFiles.read(List.of(a, b)));
        assertTrue(e.getMessage().contains(a.toString()) && e.getMessage().contains(b.toString()), e.getMessage());
        assertEquals(1, ResultFiles.read(List.of(a, a)).tables().get(0).rows().size()); // the same value twice is fine
        changed.put("setting", "qwen2-vl, k=3"); // another setting is another table
        ReportFixtures.write(b, changed);
        assertEquals(2, ResultFiles.read(List.of(a, b)).tables().size());
    }

    @Test
    void thePageIsSelfContainedEscapedAndMarksTheBestAndTheSignificant() throws IOException {
        Path compare = ReportFixtures.write(dir.resolve("compare.json"), ReportFixtures.compare(dir.resolve("img")));
        String html = HtmlReport.render(ResultFiles.read(List.of(compare)), "Report <&>", Instant.parse("2026-01-02T03:04:05Z"));
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").matches("(?s).*(https?:|url\\().*"));
        assertTrue(html.contains("<title>Report &lt;&amp;&gt;</title>"));
        assertFalse(html.contains(ReportFixtures.HOSTILE));
        assertTrue(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assertEquals(2 + 2 * 2 * 3, count(html, "<img src=\"data:image/png;base64,"));
        assertEquals(2, count(html, "<svg"));
        // Lower MAE is better: aligned (0.9) is bold and marked significantly better.
        assertTrue(html.contains("<td class=\"n best\"><span class=\"v\">0.900</span><sup class=\"sig\""), html);
        assertTrue(html.contains("significantly better than the model") && !html.contains("significantly worse"));
        assertTrue(html.contains("<td class=\"n\"><span class=\"v\">1.200</span> <span class=\"ci\">[1.000, 1.400]</span>"));
        assertEquals(4, count(html, "<figure class=\"hit\">"));
        assertEquals(8, count(html, "<figure class=\"miss\">"));
        assertTrue(html.contains("2026-01-02T03:04:05Z"));
    }

    @Test
    void aLeadOpensThePageWithFindingsThenExampleTripletsAndProvenanceFollowsTheResults() throws IOException {
        Path compare = ReportFixtures.write(dir.resolve("compare.json"), ReportFixtures.compare(dir.resolve("img")));
        Path ref = ReportFixtures.image(dir.resolve("img"), "t-ref.png", 10);
        Path left = ReportFixtures.image(dir.resolve("img"), "t-left.png", 120);
        Path right = ReportFixtures.image(dir.resolve("img"), "t-right.png", 240);
        Map<String, Boolean> picks = new LinkedHashMap<>();
        picks.put("base", true);
        picks.put("aligned", false);
        Lead lead = new Lead("Alignment " + ReportFixtures.HOSTILE, List.of(
                new Lead.Finding("2AFC", "0.70 \u2192 0.78, better by +0.08 [+0.05, +0.11]", Lead.Verdict.AS_IN_PAPER),
                new Lead.Finding("classification", "0.40 \u2192 0.45", Lead.Verdict.OPPOSITE),
                new Lead.Finding("retrieval", "0.16 \u2192 0.15", Lead.Verdict.UNCLEAR)),
                List.of(new Lead.Example(ref, left, right, 1 / 7.0, picks)));
        String html = HtmlReport.render(ResultFiles.read(List.of(compare)), "Report", lead, Instant.parse("2026-01-02T03:04:05Z"));
        int findings = html.indexOf("<div class=\"findings\">");
        int examples = html.indexOf("<h2>Example judgments</h2>");
        int results = html.indexOf("<h2>Results</h2>");
        int provenance = html.indexOf("<h2>Provenance</h2>");
        assertTrue(findings > 0 && findings < examples && examples < results && results < provenance, html);
        assertFalse(html.contains(ReportFixtures.HOSTILE));
        assertEquals(1, count(html, "(as in the paper)"));
        assertEquals(1, count(html, "(opposite to the paper)"));
        assertEquals(1, count(html, "(no clear change)"));
        assertEquals(2 + 2 * 2 * 3 + 3, count(html, "src=\"data:image/png;base64,"));
        assertEquals(1, count(html, "class=\"judged\""), "the judges chose one variant");
        assertTrue(html.contains("<td>judges</td><td>right (86%)</td>"), html);
        assertTrue(html.contains("<td>base</td><td class=\"no\">left</td>") && html.contains("<td>aligned</td><td class=\"ok\">right</td>"));
        assertTrue(html.contains("data-images-total=\"" + (2 + 2 * 2 * 3 + 3) + "\""));
    }

    @Test
    void theCommandWritesTheReportAtomically() throws IOException {
        Path compare = ReportFixtures.write(dir.resolve("compare.json"), ReportFixtures.compare(dir.resolve("img")));
        Path out = dir.resolve("out/report.html");
        HtmlReport.write(ResultFiles.read(List.of(compare)), "t", out);
        assertTrue(Files.readString(out).endsWith("</html>\n"));
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList()); // no temporary file left beside it
        }
        // Shareable like any new file (the umask decides), not private as a temporary file is.
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
    }

    private static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
