package dev.percept.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Write a model (PyTorch checkpoint, sharded or not, or safetensors) as a safetensors model folder "
                + "that loads with no pickle: configs copied, every tensor as stored.",
            "With --adapter, the adapter is folded in as by `percept merge` (vision weights, F32)."})
final class ConvertCommand implements Callable<Integer> {
    @Mixin
    ExportOptions export;

    @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder to fold in.")
    Path adapter;

    @Override
    public Integer call() {
        export.write(adapter);
        System.err.println("wrote " + export.out + " (" + export.model + (adapter == null ? "" : " with " + adapter + " merged")
                + ", safetensors)");
        return 0;
    }
}
