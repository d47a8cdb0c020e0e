package dev.percept.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.align.TwoAfcScore;
import dev.percept.console.Progress;
import dev.percept.data.Triplet;
import dev.percept.data.TwoAfcSources;
import dev.percept.embed.Embedder;
import dev.percept.eval.Bootstrap;
import dev.percept.io.JsonFiles;
import dev.percept.model.Member;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model.",
        subcommands = {EvalCommand.TwoAfcCommand.class, EvalTaskCommand.Knn.class, EvalTaskCommand.Linear.class,
            EvalTaskCommand.Counting.class, EvalTaskCommand.Segmentation.class, EvalTaskCommand.Depth.class,
            EvalTaskCommand.Retrieval.class, RagCommand.class})
final class EvalCommand {

    @Command(name = "2afc", mixinStandardHelpOptions = true,
            description = "Agreement with human 2AFC votes (ties count 0.5), with 95%% bootstrap intervals, "
                    + "per subset (NIGHTS is_imagenet, BAPPS subsets) and overall.")
    static final class TwoAfcCommand implements Callable<Integer> {
        @Mixin
        ModelOptions model;

        @Option(names = "--data", required = true, paramLabel = "SOURCE",
                description = "NIGHTS folder (data.csv), BAPPS 2afc folder, folder of class folders, THINGS list (.txt), "
                        + "or a CSV with ref,left,right,p.")
        Path data;

        @Option(names = "--split", defaultValue = "test", paramLabel = "NAME",
                description = "NIGHTS split: train, val or test. Default: ${DEFAULT-VALUE}.")
        String split;

        @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--seed", defaultValue = "1234", paramLabel = "S", description = "Seed of the bootstrap and of class-folder triplets. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the scores as JSON.")
        Path out;

        @Override
        public Integer call() {
            List<Triplet> triplets = TwoAfcSources.read(data, split, seed);
            List<Member> members = model.open();
            TwoAfcScore.Result result;
            try (Embedder embedder = new Embedder(members, model.normalization(), batch)) {
                result = TwoAfcScore.score(embedder, triplets, Progress.onStderr("embed", "img", 0), seed);
            } finally {
                members.forEach(m -> m.backbone().close());
            }
            System.out.printf(Locale.ROOT, "2AFC score, %s on %s%n%-12s %7s %8s   %s%n",
                    model.model, data, "subset", "n", "score", "95% CI");
            if (result.subsets().size() > 1) {
                result.subsets().forEach(TwoAfcCommand::print);
            }
            print("all", result.all());
            if (out != null) {
                write(result);
            }
            return 0;
        }

        private static void print(String name, Bootstrap.Interval i) {
            System.out.printf(Locale.ROOT, "%-12s %7d %8.4f   [%.4f, %.4f]%n", name, i.n(), i.mean(), i.low(), i.high());
        }

        private void write(TwoAfcScore.Result result) {
            ObjectNode root = JsonFiles.mapper().createObjectNode();
            root.put("model", model.model);
            root.put("data", data.toString());
            root.put("split", split);
            ObjectNode subsets = root.putObject("subsets");
            result.subsets().forEach((name, i) -> put(subsets.putObject(name), i));
            put(root.putObject("all"), result.all());
            JsonFiles.write(out, root);
        }

        private static void put(ObjectNode node, Bootstrap.Interval i) {
            node.put("n", i.n());
            node.put("score", i.mean());
            node.put("ci_low", i.low());
            node.put("ci_high", i.high());
        }
    }
}
