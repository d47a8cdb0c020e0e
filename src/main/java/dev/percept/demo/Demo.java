package dev.percept.demo;

import dev.percept.PerceptException;
import dev.percept.align.AlignConfig;
import dev.percept.align.Aligner;
import dev.percept.align.LoraSpec;
import dev.percept.console.Progress;
import dev.percept.console.TextTable;
import dev.percept.embed.ModelRequest;
import dev.percept.eval.Comparison;
import dev.percept.eval.ComparisonReport;
import dev.percept.eval.DownstreamTask;
import dev.percept.eval.EvalResult;
import dev.percept.eval.FeatureCache;
import dev.percept.eval.FeatureSource;
import dev.percept.eval.TaskOptions;
import dev.percept.hub.ModelStore;
import dev.percept.io.JsonFiles;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.MlpHead;
import dev.percept.report.HtmlReport;
import dev.percept.report.Lead;
import dev.percept.report.ResultFiles;
import dev.percept.synth.Size;
import dev.percept.synth.SyntheticWorld;
import dev.percept.synth.World;
import dev.percept.tensor.ComputeDevice;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The whole study on the synthetic world, offline: build (or reuse) the world, align the bundled
 * stand-in on the NIGHTS-like triplets with the image and the patch objective and on the other
 * three triplet sources (the dataset ablation), then score every model on held-out 2AFC and on
 * every downstream task in one comparison (the same protocol as `percept compare`), print the
 * tables and write the HTML report. Every stage reuses what an
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
    record Variant(String name, String source, Path data, FeatureMode features) {}

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
        Path nights = root.resolve("nights");
        List<Variant> variants = List.of(
                new Variant("nights", "NIGHTS-like, image level (cls)", nights, null),
                new Variant("nights-patch", "NIGHTS-like, patch level (cls_patch)", nights, FeatureMode.CLS_PATCH),
                new Variant("bapps", "BAPPS-like", root.resolve("bapps/2afc"), null),
                new Variant("things", "THINGS-like", root.resolve("things/triplets.txt"), null),
                new Variant("imagenet", "ImageNet-like class folders", root.resolve("imagenet"), null));
        FeatureCache cache = new FeatureCache(s.out().resolve("feature-cache"));

        stage(s, 2, "the judges and the stand-in, before alignment");
        WorldCheck.Ceiling ceilingVal = WorldCheck.ceiling(nights, "val");
        WorldCheck.Ceiling ceilingTest = WorldCheck.ceiling(nights, "test");
        List<WorldCheck.Probe> probes;
        try (FeatureSource base = new FeatureSource(ModelRequest.of(s.standin().toString()), s.store(), cache, FeatureNorm.NONE,
                64)) {
            probes = WorldCheck.probes(nights, base);
        }
        s.log().print(WorldCheck.describe(ceilingVal, ceilingTest, probes));

        stage(s, 3, "alignment: " + variants.size() + " LoRA runs on the stand-in");
        for (Variant v : variants) {
            align(s, v);
        }

        stage(s, 4, "2AFC on the held-out NIGHTS-like test split, and the downstream tasks: counting, segmentation, "
                + "depth, retrieval, classification");
        List<Comparison.Entry> entries = new ArrayList<>();
        entries.add(new Comparison.Entry("base", ModelRequest.of(s.standin().toString())));
        for (Variant v : variants) {
            entries.add(new Comparison.Entry(v.name(), ModelRequest.of(s.standin().toString()).withAdapters(List.of(adapter(s, v)))));
        }
        List<Comparison.SuiteItem> suite = List.of(item("2afc", nights),
                item("counting", root.resolve("counting")), item("segmentation", root.resolve("segmentation")),
                item("depth", root.resolve("depth")), item("retrieval", root.resolve("retrieval")),
                item("classification", root.resolve("classification")));
        Comparison.Result comparison = Comparison.run(entries, suite, s.store(), cache, FeatureNorm.NONE, 64,
                TaskOptions.defaults(s.seed()));
        List<ComparisonReport.Column> columns = ComparisonReport.columns(comparison, s.seed());
        // The patch-level model against the base model at the patch level: both on cls_patch features.
        List<Comparison.Entry> patchEntries = List.of(
                new Comparison.Entry(BASE_PATCH, ModelRequest.of(s.standin().toString()).withFeatures(FeatureMode.CLS_PATCH)),
                new Comparison.Entry(NIGHTS_PATCH, ModelRequest.of(s.standin().toString()).withFeatures(FeatureMode.CLS_PATCH)
                        .withAdapters(List.of(adapter(s, variants.get(1))))));
        Comparison.Result patch = Comparison.run(patchEntries, List.of(item("2afc", nights)), s.store(), cache, FeatureNorm.NONE,
                64, TaskOptions.defaults(s.seed()));
        List<ComparisonReport.Column> patchColumns = ComparisonReport.columns(patch, s.seed());
        Path compare = s.out().resolve("compare.json");
        JsonFiles.write(compare, ComparisonReport.json(comparison, columns));
        Path comparePatch = s.out().resolve("compare-patch.json");
        JsonFiles.write(comparePatch, ComparisonReport.json(patch, patchColumns));
        Path results = s.out().resolve("results");
        for (Comparison.Entry e : entries) { // each model's 2AFC result on its own, as `percept eval 2afc --out` writes it
            EvalResult.of(comparison.results().get(e.name()).get(0), EvalResult.EvaluatedModel.of(e.request()), s.seed())
                    .write(results.resolve("2afc-" + e.name() + ".json"));
        }

        stage(s, 5, "report");
        List<ComparisonReport.Column> headline = new ArrayList<>(columns);
        headline.add(patchLevel(patchColumns));
        List<Lead.Example> examples = Examples.pick(nights, List.of(entries.get(0), entries.get(1), patchEntries.get(1)),
                s.store(), cache, EXAMPLES);
        Lead lead = new Lead(String.format(Locale.ROOT, "The stand-in before and after LoRA alignment on %d NIGHTS-like "
                + "triplets; every difference is aligned minus base on the same held-out items, with its paired-bootstrap 95%% "
                + "interval. The judges' ceiling on the test split is %.3f (%d triplets).", trainTriplets(nights, s),
                ceilingTest.agreement(), ceilingTest.triplets()), Findings.lines(headline), examples);
        Path report = s.out().resolve("report.html");
        HtmlReport.write(ResultFiles.read(List.of(compare, comparePatch)),
                "percept demo: perceptual alignment of a tiny ViT on a synthetic world", lead, report);

        s.log().println();
        s.log().println("Aligned models (LoRA on qkv, proj, fc1 and fc2, " + s.epochs() + " epochs, at most " + s.maxTriplets()
                + " training triplets each, lr " + BigDecimal.valueOf(s.lr()).stripTrailingZeros().toPlainString() + "):");
        for (Variant v : variants) {
            s.log().printf(Locale.ROOT, "  %-13s %s%n", v.name(), v.source());
        }
        s.log().println();
        s.log().print(ComparisonReport.table(comparison, columns));
        s.log().println();
        s.log().print(Findings.summary(headline, variants.stream().map(Variant::name).toList()));
        s.log().print(TextTable.title("report: " + report));
        s.log().print(TextTable.title("compare.json: " + compare));
        s.log().print(TextTable.title("runs: " + s.out().resolve("runs")));
        s.log().printf(Locale.ROOT, "done in %.1f min%n", (System.nanoTime() - start) / 60e9);
    }

    /**
     * LoRA r 16, alpha 32 (DreamSim's single-model rank and scale) on all four linears of every
     * block, without dropout. Chosen on the NIGHTS-like val split: the stand-in's features hold
     * little of count, layout and pose, and qkv alone levelled off near +0.06; all four linears
     * reached +0.08 to +0.09, and dropout 0.2 (Bernoulli draws on every branch's input) halved the
     * training rate of this small model for no gain in agreement.
     */
    static final LoraSpec LORA = new LoraSpec(16, 32, 0, List.of("qkv", "proj", "fc1", "fc2"));

    /** Example triplets in the report. */
    static final int EXAMPLES = 6;

    /** The patch-level comparison's names: both models on cls_patch features. */
    static final String BASE_PATCH = "base@cls_patch";
    static final String NIGHTS_PATCH = "nights-patch@cls_patch";

    /** The patch-level comparison's 2AFC column, labelled apart from the image-level one. */
    private static ComparisonReport.Column patchLevel(List<ComparisonReport.Column> patchColumns) {
        ComparisonReport.Column p = patchColumns.stream().filter(x -> x.metric().equals("2afc")).findFirst().orElseThrow();
        return new ComparisonReport.Column(new Comparison.SuiteItem(Findings.PATCH_2AFC, p.item().task(), p.item().data()),
                p.metric(), p.higherIsBetter(), p.values(), p.best(), p.differences());
    }

    private static int trainTriplets(Path nights, Settings s) {
        return Math.min(s.maxTriplets(), dev.percept.synth.NightsJudgments.read(nights, "train").size());
    }

    private static void stage(Settings s, int n, String what) {
        s.log().print(TextTable.title(String.format(Locale.ROOT, "[%d/5] %s", n, what)));
    }

    private static Comparison.SuiteItem item(String task, Path data) {
        return new Comparison.SuiteItem(task, DownstreamTask.parse(task), data);
    }

    private static Path adapter(Settings s, Variant v) {
        return s.out().resolve("runs").resolve(v.name()).resolve("adapter");
    }

    /** Aligns one variant, or reuses (or resumes) what an earlier demo left in its run folder. */
    private static void align(Settings s, Variant v) {
        Path run = s.out().resolve("runs").resolve(v.name());
        if (Files.isRegularFile(run.resolve("result.json"))) {
            s.log().println("  " + v.name() + ": reusing " + run);
            return;
        }
        s.log().println("  " + v.name() + ": " + v.source());
        AlignConfig config = new AlignConfig(AlignConfig.Model.of(s.standin().toString(), v.features()),
                AlignConfig.Triplets.of(v.data(), s.maxTriplets()), AlignConfig.Method.LORA, LORA,
                MlpHead.DEFAULT_HIDDEN, AlignConfig.Optimizer.dreamsim(s.lr()), AlignConfig.MARGIN,
                new AlignConfig.Schedule(32, 1, s.epochs(), s.seed()));
        Aligner.run(config, new Aligner.RunOptions(run, Files.isRegularFile(run.resolve("config.json")), ComputeDevice.CPU,
                s.store(), 30, 1L << 30, false, quiet(s.log())));
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
}
