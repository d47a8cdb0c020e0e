package dev.percept.cli;

import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.model.Checkpoint;
import dev.percept.model.ModelExport;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What `merge` and `convert` share: the model to read and the folder to write. */
final class ExportOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "Model folder, weights file (.safetensors, .pth, .pth.tar, .pt, .bin, *.index.json) or known name.")
    String model;

    @Option(names = "--checkpoint-key", paramLabel = "KEY",
            description = "The entry of a PyTorch checkpoint that holds the weights (see `percept embed --help`).")
    String checkpointKey;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new model folder.")
    Path out;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Model cache (as for the other commands).")
    Path cacheDir;

    /** Writes the model (with {@code adapter} folded in, if not null) to --out. */
    void write(Path adapter) {
        Engine.start(0);
        HubSettings settings = HubSettings.fromEnvironment().withOffline(true);
        if (cacheDir != null) {
            settings = settings.withCacheDir(cacheDir);
        }
        Path source = new ModelStore(settings, KnownModels.DEFAULT).resolve(model);
        ModelExport.write(Checkpoint.open(source, checkpointKey), adapter, out);
    }
}
