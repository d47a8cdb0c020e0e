package dev.percept.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Fold a LoRA adapter into a model: a new model folder in the model's own layout, no adapter needed.")
final class MergeCommand implements Callable<Integer> {
    @Mixin
    ExportOptions export;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter folder.")
    Path adapter;

    @Override
    public Integer call() {
        export.write(adapter);
        System.err.println("wrote " + export.out + " (" + export.model + " with " + adapter + " merged)");
        return 0;
    }
}
