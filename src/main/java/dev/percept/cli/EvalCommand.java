package dev.percept.cli;

import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model.",
        subcommands = {EvalTaskCommand.TwoAfc.class, EvalTaskCommand.Knn.class, EvalTaskCommand.Linear.class,
            EvalTaskCommand.Counting.class, EvalTaskCommand.Segmentation.class, EvalTaskCommand.Depth.class,
            EvalTaskCommand.Retrieval.class, RagCommand.class})
final class EvalCommand {
}
