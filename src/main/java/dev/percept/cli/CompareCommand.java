package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.eval.Comparison;
import dev.percept.eval.ComparisonReport;
import dev.percept.eval.DownstreamTask;
import dev.percept.io.JsonFiles;
import dev.percept.report.ResultFiles;
import dev.percept.report.ResultTables;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a suite of downstream tasks for several models and print the paper-style table: best per column "
                + "marked, each model's difference from the first with its paired-bootstrap significance.")
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME=MODEL",
            description = "A model under a name, repeatable (e.g. --model base=dino_vitb16 --model aligned=dino_vitb16). "
                    + "The first is the baseline. Required with --suite.")
    List<String> models = new ArrayList<>();

    @Option(names = "--adapter", paramLabel = "NAME=DIR", description = "A LoRA adapter for the named model, repeatable.")
    List<String> adapters = new ArrayList<>();

    @Option(names = "--head", paramLabel = "NAME=DIR", description = "An MLP head (percept align --train mlp_head) for the named model, repeatable.")
    List<String> heads = new ArrayList<>();

    @Option(names = "--suite", paramLabel = "TASK=DIR[,TASK=DIR...]",
            description = "Tasks and datasets: 2afc (any 2AFC source), counting, segmentation, depth, retrieval, "
                    + "classification (linear probe), knn, linear.")
    List<String> suite = new ArrayList<>();

    @Option(names = "--in", paramLabel = "FILE",
            description = "Result files to tabulate instead of (or besides) running a suite: any `percept eval` result "
                    + "(2afc and rag too), compare.json, an alignment run's epochs/<n>/validation.json; repeatable.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Write compare.json (models, tasks, galleries).")
    Path out;

    @Mixin
    ModelSettings settings;

    @Mixin
    DownstreamOptions downstream;

    @Override
    public Integer call() {
        if (suite.isEmpty() && inputs.isEmpty()) {
            throw new PerceptException("compare needs --suite (run models) or --in (result files)");
        }
        if (!suite.isEmpty()) {
            runSuite();
        } else if (out != null) {
            throw new PerceptException("--out writes the compare.json of a --suite run; to merge result files into a page "
                    + "use `percept report --in ...`");
        }
        if (!inputs.isEmpty()) {
            System.out.print(ResultTables.text(ResultFiles.read(inputs)));
        }
        return 0;
    }

    private void runSuite() {
        if (models.isEmpty()) {
            throw new PerceptException("--suite needs at least one --model NAME=MODEL");
        }
        Map<String, String> adapterByName = pairs("--adapter", adapters);
        Map<String, String> headByName = pairs("--head", heads);
        List<Comparison.Entry> entries = new ArrayList<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            String name = eq > 0 ? m.substring(0, eq) : m;
            String spec = eq > 0 ? m.substring(eq + 1) : m;
            String head = headByName.remove(name);
            entries.add(new Comparison.Entry(name, settings.request(spec, adapterByName.remove(name), head == null ? null : Path.of(head))));
        }
        if (!adapterByName.isEmpty()) {
            throw new PerceptException("--adapter names " + adapterByName.keySet() + " match no --model NAME=...");
        }
        if (!headByName.isEmpty()) {
            throw new PerceptException("--head names " + headByName.keySet() + " match no --model NAME=...");
        }
        List<Comparison.SuiteItem> items = new ArrayList<>();
        pairs("--suite", suite).forEach((task, dir) -> items.add(new Comparison.SuiteItem(task, DownstreamTask.parse(task), Path.of(dir))));
        Engine.start(settings.threads);
        Comparison.Result result = Comparison.run(entries, items, settings.store(), downstream.cache(), settings.normalization(),
                downstream.batch, downstream.options(null, null, null));
        List<ComparisonReport.Column> columns = ComparisonReport.columns(result, downstream.seed);
        System.out.print(ComparisonReport.table(result, columns));
        if (out != null) {
            JsonFiles.write(out, ComparisonReport.json(result, columns));
        }
    }

    /** KEY=VALUE entries, comma-separated or repeated, in order. */
    private static Map<String, String> pairs(String option, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new PerceptException(option + " takes NAME=VALUE, not '" + part + "'");
                }
                if (out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip()) != null) {
                    throw new PerceptException(option + " names " + part.substring(0, eq) + " twice");
                }
            }
        }
        return out;
    }
}
