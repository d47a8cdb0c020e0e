package dev.percept.cli;

import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.model.AdapterMerge;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Fold a LoRA adapter into a model: a new model folder in the model's own layout, no adapter needed.")
final class MergeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model folder or known name.")
    String model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter folder.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new model folder.")
    Path out;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Model cache (as for the other commands).")
    Path cacheDir;

    @Override
    public Integer call() {
        Engine.start(0);
        HubSettings settings = HubSettings.fromEnvironment().withOffline(true);
        if (cacheDir != null) {
            settings = settings.withCacheDir(cacheDir);
        }
        Path folder = new ModelStore(settings, KnownModels.DEFAULT).resolve(model);
        AdapterMerge.write(folder, adapter, out);
        System.err.println("wrote " + out + " (" + model + " with " + adapter + " merged)");
        return 0;
    }
}
