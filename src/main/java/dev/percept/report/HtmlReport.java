package dev.percept.report;

import dev.percept.image.Thumbnails;
import dev.percept.io.TextFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report as one self-contained HTML file: provenance, a table and bar charts per task, and
 * nearest-neighbour galleries. Nothing refers outside the file: styles and the one small script
 * are inline, charts are SVG, images are PNG data URLs. The script records script errors in
 * {@code <html data-script-errors>} and, after load, how many images decoded in
 * {@code <body data-images-ok>}, warning on the page if any did not.
 */
public final class HtmlReport {
    /** Longer side of gallery thumbnails, in pixels. */
    static final int THUMBNAIL = 112;

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:2em auto;max-width:1200px;padding:0 1em}
            h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.6em 0}th,td{padding:.3em .7em;border-bottom:1px solid #e4e4e4;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th.n{text-align:right}.ci{color:#777;font-size:.85em}
            td.best .v{font-weight:700}sup.sig{color:#b00;font-weight:700}.legend{color:#555;font-size:.9em}
            .notice{background:#fee;border:1px solid #c33;padding:.5em}.charts{display:flex;flex-wrap:wrap;gap:1em}
            .chart .ct{font-size:12px;font-weight:600}.chart .tick{font-size:10px;text-anchor:end;fill:#555}
            .chart .bl,.chart .bv{font-size:11px;text-anchor:middle}.chart .bv{fill:#555}
            .chart .grid{stroke:#eee}.chart .axis{stroke:#888}.chart .err{stroke:#222;stroke-width:1.5;fill:none}
            .query{display:flex;flex-wrap:wrap;gap:1.2em;align-items:flex-start;margin:1em 0;padding-bottom:1em;border-bottom:1px solid #eee}
            .hits{display:flex;gap:.4em}.model h4{margin:0 0 .3em;font-size:.95em}
            figure{margin:0;text-align:center;font-size:11px;max-width:120px;word-break:break-word}
            figure img{display:block;margin:auto;border:3px solid #999;max-width:112px;max-height:112px}
            figure.q img{border-color:#333}figure.hit img{border-color:#2a2}figure.miss img{border-color:#d22}
            summary{cursor:pointer;font-weight:600;font-size:1.1em}
            .findings{background:#f4f8ff;border:1px solid #9bb5e0;border-radius:6px;padding:.6em 1.2em;margin:1em 0}
            .findings h2{margin-top:.3em;border:none}.findings li{margin:.25em 0}
            .findings .as{color:#176b24}.findings .op{color:#b00}.findings .un{color:#777}
            .triplets{display:flex;flex-wrap:wrap;gap:1.5em}.triplet{border:1px solid #ddd;padding:.5em}
            .triplet .imgs{display:flex;gap:.3em}.triplet img{width:96px;height:96px;image-rendering:pixelated;border:3px solid #ccc}
            .triplet img.judged{border-color:#2a62c9}.triplet table{margin:.3em 0 0;font-size:12px}
            .triplet td{padding:.1em .4em}td.ok{color:#176b24}td.no{color:#b00}
            """;

    /** Records errors before anything else runs. */
    private static final String ERROR_SCRIPT = """
            document.documentElement.setAttribute("data-script-errors","");
            window.addEventListener("error",function(e){var h=document.documentElement;
            h.setAttribute("data-script-errors",h.getAttribute("data-script-errors")+(e.message||"error")+";");});
            """;

    private static final String LOAD_SCRIPT = """
            window.addEventListener("load",function(){var imgs=document.images,ok=0;
            for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&imgs[i].naturalWidth>0){ok++;}}
            document.body.setAttribute("data-images-ok",String(ok));
            if(ok<imgs.length){var w=document.getElementById("image-warning");
            w.textContent=(imgs.length-ok)+" of "+imgs.length+" images failed to load.";w.hidden=false;}});
            """;

    private HtmlReport() {}

    /** Writes the report for {@code data} to {@code out} (atomically). */
    public static void write(ReportData data, String title, Path out) {
        write(data, title, null, out);
    }

    /** The report led by {@code lead} (findings and example triplets above everything else; null: none). */
    public static void write(ReportData data, String title, Lead lead, Path out) {
        TextFiles.write(out, render(data, title, lead, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    static String render(ReportData data, String title, Instant generated) {
        return render(data, title, null, generated);
    }

    static String render(ReportData data, String title, Lead lead, Instant generated) {
        Map<Path, String> thumbnails = new HashMap<>();
        List<String> body = new ArrayList<>();
        body.add("<h1>" + Html.esc(title) + "</h1>");
        body.add("<p class=\"notice\" id=\"image-warning\" hidden></p>");
        if (lead != null) {
            body.add(findings(lead));
            if (!lead.examples().isEmpty()) {
                body.add(examples(lead, thumbnails));
            }
        }
        if (!data.tables().isEmpty()) {
            body.add("<h2>Results</h2>");
            List<String> names = data.models().stream().map(ReportData.Model::name).toList();
            data.tables().forEach(t -> body.add(table(t, names)));
        }
        body.add(provenance(data, generated));
        if (!data.galleries().isEmpty()) {
            body.add("<h2>Nearest neighbours</h2><p class=\"legend\">Each query, then its nearest neighbours per model, "
                    + "nearest first, with their cosine distance. Green: a correct match, red: a wrong one.</p>");
            data.galleries().forEach(g -> body.add(gallery(g, thumbnails)));
        }
        long images = (lead == null ? 0 : 3L * lead.examples().size()) + data.galleries().stream().flatMap(g -> g.queries().stream())
                .mapToLong(q -> 1 + q.results().values().stream().mapToLong(List::size).sum()).sum();
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.esc(title) + "</title><style>" + STYLE + "</style><script>" + ERROR_SCRIPT + "</script></head>\n"
                + "<body data-images-total=\"" + images + "\">\n" + String.join("\n", body)
                + "\n<script>" + LOAD_SCRIPT + "</script>\n</body></html>\n";
    }

    private static String findings(Lead lead) {
        StringBuilder s = new StringBuilder("<div class=\"findings\"><h2>Findings</h2><p>").append(Html.esc(lead.heading()))
                .append("</p><ul>");
        for (Lead.Finding f : lead.findings()) {
            String css = switch (f.verdict()) {
                case AS_IN_PAPER -> "as";
                case OPPOSITE -> "op";
                case UNCLEAR -> "un";
            };
            String word = switch (f.verdict()) {
                case AS_IN_PAPER -> "as in the paper";
                case OPPOSITE -> "opposite to the paper";
                case UNCLEAR -> "no clear change";
            };
            s.append("<li><b>").append(Html.esc(f.task())).append("</b>: ").append(Html.esc(f.text())).append(" <span class=\"")
                    .append(css).append("\">(").append(word).append(")</span></li>");
        }
        return s.append("</ul></div>").toString();
    }

    private static String examples(Lead lead, Map<Path, String> thumbnails) {
        StringBuilder s = new StringBuilder("<h2>Example judgments</h2><p class=\"legend\">Held-out NIGHTS-like triplets: "
                + "the reference, then the two variants. A blue frame marks the variant most judges found closer; below, "
                + "each model's pick (green: agrees with the judges, red: does not).</p><div class=\"triplets\">");
        for (Lead.Example e : lead.examples()) {
            s.append("<div class=\"triplet\"><div class=\"imgs\">").append(img(e.ref(), "reference", "", thumbnails))
                    .append(img(e.left(), "left", e.judgesLeft() ? "judged" : "", thumbnails))
                    .append(img(e.right(), "right", e.judgesLeft() ? "" : "judged", thumbnails)).append("</div><table>");
            s.append("<tr><td>judges</td><td>").append(e.judgesLeft() ? "left" : "right").append(" (")
                    .append(Math.round(100 * Math.max(e.leftVote(), 1 - e.leftVote()))).append("%)</td></tr>");
            for (Map.Entry<String, Boolean> m : e.picksLeft().entrySet()) {
                boolean ok = m.getValue() == e.judgesLeft();
                s.append("<tr><td>").append(Html.esc(m.getKey())).append("</td><td class=\"").append(ok ? "ok" : "no").append("\">")
                        .append(m.getValue() ? "left" : "right").append("</td></tr>");
            }
            s.append("</table></div>");
        }
        return s.append("</div>").toString();
    }

    private static String img(Path image, String alt, String css, Map<Path, String> thumbnails) {
        String url = thumbnails.computeIfAbsent(image, p -> Thumbnails.dataUrl(p, THUMBNAIL));
        return "<img class=\"" + css + "\" src=\"" + url + "\" alt=\"" + alt + "\" title=\"" + Html.esc(image.toString()) + "\">";
    }

    private static String provenance(ReportData data, Instant generated) {
        StringBuilder s = new StringBuilder("<h2>Provenance</h2><table class=\"models\"><tr><th>name</th><th>model</th><th>adapter</th><th>head</th></tr>");
        for (ReportData.Model m : data.models()) {
            s.append("<tr><td>").append(Html.esc(m.name())).append("</td><td>").append(Html.esc(m.model())).append("</td><td>")
                    .append(m.adapter() == null ? "none" : Html.esc(m.adapter())).append("</td><td>")
                    .append(m.head() == null ? "none" : Html.esc(m.head())).append("</td></tr>");
        }
        s.append("</table>");
        Set<String> datasets = new LinkedHashSet<>();
        data.tables().forEach(t -> datasets.add(t.task() + ": " + t.dataset()));
        data.galleries().forEach(g -> datasets.add(g.task() + ": " + g.dataset()));
        s.append("<p>Datasets:</p><ul>");
        datasets.forEach(d -> s.append("<li>").append(Html.esc(d)).append("</li>"));
        s.append("</ul><p>Generated ").append(Html.esc(generated.toString())).append(" by percept from ");
        List<String> files = data.sources().stream().map(p -> "<code>" + Html.esc(p.toString()) + "</code>").toList();
        s.append(String.join(", ", files)).append(".</p>");
        return s.toString();
    }

    /** {@code models}: every model name, in order (a model's chart colour is its index). */
    private static String table(ReportData.Table t, List<String> models) {
        StringBuilder s = new StringBuilder("<section class=\"task\"><h3>").append(Html.esc(t.task())).append(" \u2014 ")
                .append(Html.esc(t.dataset())).append("</h3><table class=\"results\"><tr><th>model</th>");
        for (ReportData.Metric m : t.metrics()) {
            s.append("<th class=\"n\">").append(Html.esc(m.name())).append(m.higherIsBetter() ? " \u2191" : " \u2193").append("</th>");
        }
        s.append("</tr>");
        Set<String> used = new LinkedHashSet<>();
        for (String row : t.rows()) {
            s.append("<tr><td>").append(Html.esc(row)).append("</td>");
            for (ReportData.Metric m : t.metrics()) {
                ReportData.Cell c = t.cells().get(row).get(m.name());
                if (c == null) {
                    s.append("<td class=\"n\">\u2013</td>");
                    continue;
                }
                s.append("<td class=\"n").append(isBest(t, m, c.value()) ? " best" : "").append("\"><span class=\"v\">")
                        .append(Html.num(c.value())).append("</span>");
                s.append(marks(t, m, row, used)).append(" <span class=\"ci\">[").append(Html.num(c.low())).append(", ").append(Html.num(c.high()))
                        .append("]</span></td>");
            }
            s.append("</tr>");
        }
        s.append("</table><p class=\"legend\">Mean [95% confidence interval]; \u2191 higher is better, \u2193 lower is better; "
                + "bold: best in its column.");
        if (!used.isEmpty()) {
            List<String> meanings = new ArrayList<>();
            if (used.contains("*")) {
                meanings.add("<sup class=\"sig\">*</sup> significantly better");
            }
            if (used.contains("\u2020")) {
                meanings.add("<sup class=\"sig\">\u2020</sup> significantly worse");
            }
            s.append(' ').append(String.join(", ", meanings)).append(" than the model it was compared with (the 95% interval "
                    + "of the difference excludes 0; hover for details).");
        }
        s.append("</p><div class=\"charts\">");
        for (ReportData.Metric m : t.metrics()) {
            List<BarChart.Bar> bars = new ArrayList<>();
            for (String row : t.rows()) {
                ReportData.Cell c = t.cells().get(row).get(m.name());
                if (c != null) {
                    bars.add(new BarChart.Bar(row, c, models.contains(row) ? models.indexOf(row) : models.size()));
                }
            }
            s.append(BarChart.svg(m.name() + (m.higherIsBetter() ? " (higher is better)" : " (lower is better)"), bars));
        }
        s.append("</div>");
        s.append(differences(t));
        return s.append("</section>").toString();
    }

    private static boolean isBest(ReportData.Table t, ReportData.Metric m, double value) {
        double best = t.rows().stream().map(r -> t.cells().get(r).get(m.name())).filter(c -> c != null)
                .mapToDouble(ReportData.Cell::value).reduce(m.higherIsBetter() ? Math::max : Math::min).orElseThrow();
        return value == best;
    }

    /** The significance marks of one cell; each mark used is added to {@code used}. */
    private static String marks(ReportData.Table t, ReportData.Metric m, String row, Set<String> used) {
        StringBuilder s = new StringBuilder();
        for (ReportData.Difference d : t.differences().getOrDefault(m.name(), List.of())) {
            if (d.significant() && d.a().equals(row)) {
                String mark = d.diff() > 0 == m.higherIsBetter() ? "*" : "\u2020";
                used.add(mark);
                s.append("<sup class=\"sig\" title=\"").append(Html.esc(describe(d))).append("\">").append(mark).append("</sup>");
            }
        }
        return s.toString();
    }

    private static String describe(ReportData.Difference d) {
        return d.a() + " \u2212 " + d.b() + " = " + Html.num(d.diff()) + " [" + Html.num(d.low()) + ", " + Html.num(d.high())
                + "], p = " + Html.num(d.p());
    }

    private static String differences(ReportData.Table t) {
        StringBuilder s = new StringBuilder();
        for (ReportData.Metric m : t.metrics()) {
            for (ReportData.Difference d : t.differences().getOrDefault(m.name(), List.of())) {
                s.append("<tr><td>").append(Html.esc(m.name())).append("</td><td>").append(Html.esc(d.a() + " \u2212 " + d.b()))
                        .append("</td><td class=\"n\">").append(Html.num(d.diff())).append(" <span class=\"ci\">[")
                        .append(Html.num(d.low())).append(", ").append(Html.num(d.high())).append("]</span></td><td class=\"n\">")
                        .append(Html.num(d.p())).append("</td><td>").append(d.significant() ? "yes" : "no").append("</td></tr>");
            }
        }
        return s.isEmpty() ? "" : "<table class=\"differences\"><tr><th>metric</th><th>comparison</th><th class=\"n\">difference [95% CI]</th>"
                + "<th class=\"n\">p</th><th>significant</th></tr>" + s + "</table>";
    }

    private static String gallery(ReportData.Gallery g, Map<Path, String> thumbnails) {
        StringBuilder s = new StringBuilder("<details class=\"gallery\" open><summary>").append(Html.esc(g.task())).append(" \u2014 ")
                .append(Html.esc(g.dataset())).append(" (top ").append(g.k()).append(")</summary>");
        for (ReportData.Query q : g.queries()) {
            s.append("<div class=\"query\">").append(figure("q", q.image(), "query: " + q.label(), thumbnails));
            for (Map.Entry<String, List<ReportData.Hit>> r : q.results().entrySet()) {
                s.append("<div class=\"model\"><h4>").append(Html.esc(r.getKey())).append("</h4><div class=\"hits\">");
                for (ReportData.Hit h : r.getValue()) {
                    s.append(figure(h.correct() ? "hit" : "miss", h.image(), h.label() + " \u00b7 " + Html.num(h.distance()), thumbnails));
                }
                s.append("</div></div>");
            }
            s.append("</div>");
        }
        return s.append("</details>").toString();
    }

    private static String figure(String kind, Path image, String caption, Map<Path, String> thumbnails) {
        String url = thumbnails.computeIfAbsent(image, p -> Thumbnails.dataUrl(p, THUMBNAIL));
        return "<figure class=\"" + kind + "\"><img src=\"" + url + "\" alt=\"" + Html.esc(image.getFileName().toString())
                + "\" title=\"" + Html.esc(image.toString()) + "\"><figcaption>" + Html.esc(caption) + "</figcaption></figure>";
    }
}
