package dev.percept.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.align.AlignConfig;
import dev.percept.align.Aligner;
import dev.percept.align.LoraSpec;
import dev.percept.align.TwoAfcScore;
import dev.percept.console.Progress;
import dev.percept.data.Triplet;
import dev.percept.data.TwoAfcSources;
import dev.percept.embed.Embedder;
import dev.percept.embed.FeatureNorm;
import dev.percept.embed.Member;
import dev.percept.embed.ModelRequest;
import dev.percept.eval.Bootstrap;
import dev.percept.eval.Comparison;
import dev.percept.eval.ComparisonReport;
import dev.percept.eval.DownstreamTask;
import dev.percept.eval.FeatureCache;
import dev.percept.eval.TaskOptions;
import dev.percept.hub.ModelStore;
import dev.percept.io.JsonFiles;
import dev.percept.report.HtmlReport;
import dev.percept.report.ResultFiles;
import dev.percept.synth.Size;
import dev.percept.synth.SyntheticWorld;
import dev.percept.synth.World;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole study on the synthetic world, offline: build (or reuse) the world, align the bundled
 * stand-in on the NIGHTS-like triplets with the image and the patch objective and on the other
 * three triplet sources (the dataset ablation), then score every model on held-out 2AFC and on
 * every downstream task, print the tables and write the HTML report. Every stage reuses what an
 * earlier run of the same folder finished, and an interrupted alignment resumes.
 */
public final class Demo {
    /**
     * @param standin the base model folder (the bundled demo/standin)
     * @param epochs alignment epochs per variant
     * @param maxTriplets training triplets per variant at most (sources with fewer use all they have)
     */
    public record Settings(Path out, Path standin, long seed, int epochs, int maxTriplets, double lr, ModelStore store,
            PrintStream log) {}

    /** One aligned model: which triplets it saw and which feature it was trained on. */
    record Variant(String name, String source, Path data, String features) {}

    private Demo() {}

    public static void run(Settings s) {
        long start = System.nanoTime();
        if (!Files.isDirectory(s.standin())) {
            throw new PerceptException("the bundled stand-in model " + s.standin() + " is missing; run the demo through "
                    + "the ./percept launcher at the repository root");
        }
        stage(s, 1, "the synthetic world");
        World world = SyntheticWorld.build(s.out().resolve("world"), s.seed(), Size.SMALL,
                Progress.onStderr("synth", "img", Size.SMALL.images()));
        Path root = world.root();
        List<Variant> variants = List.of(
                new Variant("nights", "NIGHTS-like, image level (cls)", root.resolve("nights"), null),
                new Variant("nights-patch", "NIGHTS-like, patch level (cls_patch)", root.resolve("nights"), "cls_patch"),
                new Variant("bapps", "BAPPS-like", root.resolve("bapps/2afc"), null),
                new Variant("things", "THINGS-like", root.resolve("things/triplets.txt"), null),
                new Variant("imagenet", "ImageNet-like class folders", root.resolve("imagenet"), null));

        stage(s, 2, "alignment: " + variants.size() + " LoRA runs on the stand-in");
        for (Variant v : variants) {
            align(s, v);
        }

        stage(s, 3, "2AFC on the held-out NIGHTS-like test split");
        List<Path> resultFiles = new ArrayList<>();
        Path results = s.out().resolve("results");
        resultFiles.add(twoAfc(s, results, "base", null));
        for (Variant v : variants) {
            resultFiles.add(twoAfc(s, results, v.name(), adapter(s, v)));
        }

        stage(s, 4, "downstream tasks: counting, segmentation, depth, retrieval, classification");
        List<Comparison.Entry> entries = new ArrayList<>();
        entries.add(new Comparison.Entry("base", request(s, null)));
        for (Variant v : variants) {
            entries.add(new Comparison.Entry(v.name(), request(s, adapter(s, v))));
        }
        List<Comparison.SuiteItem> suite = List.of(
                item("counting", root.resolve("counting")), item("segmentation", root.resolve("segmentation")),
                item("depth", root.resolve("depth")), item("retrieval", root.resolve("retrieval")),
                item("classification", root.resolve("classification")));
        Comparison.Result comparison = Comparison.run(entries, suite, s.store(),
                new FeatureCache(s.out().resolve("feature-cache")), FeatureNorm.NONE, 64, TaskOptions.defaults(s.seed()));
        List<ComparisonReport.Column> columns = ComparisonReport.columns(comparison, s.seed());
        Path compare = s.out().resolve("compare.json");
        JsonFiles.write(compare, ComparisonReport.json(comparison, columns));
        resultFiles.add(0, compare);

        stage(s, 5, "report");
        Path report = s.out().resolve("report.html");
        HtmlReport.write(ResultFiles.read(resultFiles),
                "percept demo: perceptual alignment of a tiny ViT on a synthetic world", report);

        s.log().println();
        s.log().println("Aligned models (LoRA on qkv, " + s.epochs() + " epochs, at most " + s.maxTriplets()
                + " training triplets each, lr " + s.lr() + "):");
        for (Variant v : variants) {
            s.log().printf(Locale.ROOT, "  %-13s %s%n", v.name(), v.source());
        }
        s.log().println();
        s.log().print(twoAfcTable(resultFiles.subList(1, resultFiles.size())));
        s.log().println();
        s.log().print(ComparisonReport.table(comparison, columns));
        s.log().println();
        s.log().print(Findings.summary(columns, "base", "nights", variants.stream().map(Variant::name).toList()));
        s.log().printf(Locale.ROOT, "%nreport: %s%ncompare.json: %s%nruns: %s%ndone in %.1f min%n", report, compare,
                s.out().resolve("runs"), (System.nanoTime() - start) / 60e9);
    }

    private static void stage(Settings s, int n, String what) {
        s.log().printf(Locale.ROOT, "[%d/5] %s%n", n, what);
    }

    private static Comparison.SuiteItem item(String task, Path data) {
        return new Comparison.SuiteItem(task, DownstreamTask.parse(task), data);
    }

    private static Path adapter(Settings s, Variant v) {
        return s.out().resolve("runs").resolve(v.name()).resolve("adapter");
    }

    private static ModelRequest request(Settings s, Path adapter) {
        return new ModelRequest(s.standin().toString(), null, Precision.AUTO, ComputeDevice.CPU, 0, false, null,
                adapter == null ? List.of() : List.of(adapter), null);
    }

    /** Aligns one variant, or reuses (or resumes) what an earlier demo left in its run folder. */
    private static void align(Settings s, Variant v) {
        Path run = s.out().resolve("runs").resolve(v.name());
        if (Files.isRegularFile(run.resolve("result.json"))) {
            s.log().println("  " + v.name() + ": reusing " + run);
            return;
        }
        s.log().println("  " + v.name() + ": " + v.source());
        AlignConfig config = new AlignConfig(s.standin().toString(), v.features(), "auto", 0, "dreamsim", null, v.data(),
                "train", null, 0.1, s.maxTriplets(), LoraSpec.singleDefault(), s.lr(), 0.5, 0.999, 0, 32, 1, s.epochs(),
                AlignConfig.MARGIN, s.seed(), AlignConfig.LORA, 512, null);
        Aligner.run(config, new Aligner.RunOptions(run, Files.isRegularFile(run.resolve("config.json")), ComputeDevice.CPU,
                s.store(), 30, 1L << 30, quiet(s.log())));
    }

    /** Only the per-epoch lines of an alignment run reach the demo's log. */
    private static PrintStream quiet(PrintStream log) {
        return new PrintStream(new java.io.OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    String l = line.toString();
                    if (l.startsWith("epoch") || l.startsWith("kept")) {
                        log.println("    " + l);
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true);
    }

    /** Scores one model on the NIGHTS-like test split and writes it as a `percept eval` result file. */
    private static Path twoAfc(Settings s, Path results, String name, Path adapter) {
        Path file = results.resolve("2afc-" + name + ".json");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path nights = s.out().resolve("world/nights");
        List<Triplet> test = TwoAfcSources.read(nights, "test", s.seed());
        List<Member> members = request(s, adapter).open(s.store());
        TwoAfcScore.Result r;
        try (Embedder embedder = new Embedder(members, FeatureNorm.NONE, 64)) {
            r = TwoAfcScore.score(embedder, test, Progress.onStderr("2afc " + name, "img", 0), s.seed());
        } finally {
            members.forEach(m -> m.backbone().close());
        }
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        root.put("task", "2afc");
        root.put("dataset", nights.toString());
        root.put("model", s.standin().toString());
        if (adapter == null) {
            root.putNull("adapter");
        } else {
            root.put("adapter", adapter.toString());
        }
        root.put("features", "cls");
        ObjectNode metrics = root.putObject("metrics");
        put(metrics.putObject("2afc"), r.all());
        for (Map.Entry<String, Bootstrap.Interval> e : r.subsets().entrySet()) {
            put(metrics.putObject("2afc_" + e.getKey()), e.getValue());
        }
        JsonFiles.write(file, root);
        return file;
    }

    private static void put(ObjectNode node, Bootstrap.Interval i) {
        node.put("value", i.mean());
        node.put("ci_low", i.low());
        node.put("ci_high", i.high());
        node.put("higher_is_better", true);
    }

    private static String twoAfcTable(List<Path> files) {
        StringBuilder out = new StringBuilder("2AFC agreement with the synthetic judges, NIGHTS-like test split (95% CI)\n");
        out.append(String.format(Locale.ROOT, "%-13s %24s %24s %24s%n", "model", "all", "imagenet (studio)", "other (outdoor)"));
        for (Path f : files) {
            var n = JsonFiles.readObject(f);
            String name = f.getFileName().toString().replaceFirst("^2afc-", "").replaceFirst("\\.json$", "");
            out.append(String.format(Locale.ROOT, "%-13s %24s %24s %24s%n", name, cell(n, "2afc"), cell(n, "2afc_imagenet"),
                    cell(n, "2afc_other")));
        }
        return out.toString();
    }

    private static String cell(com.fasterxml.jackson.databind.JsonNode n, String metric) {
        var m = n.path("metrics").path(metric);
        if (m.isMissingNode()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", m.get("value").asDouble(), m.get("ci_low").asDouble(),
                m.get("ci_high").asDouble());
    }
}
