package dev.percept.cli;

import dev.percept.hub.DreamSimSettings;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.hub.ModelTable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code percept models}: the known model names and which of them are in the local cache. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List the known model names, their Hub repos, and whether they are in the local cache.")
final class ModelsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Hub cache folder (default: as huggingface_hub).")
    private Path cacheDir;

    @Option(names = "--dreamsim-cache", paramLabel = "DIR",
            description = "Folder of DreamSim's released checkpoints (default: $PERCEPT_DREAMSIM_CACHE, else "
                    + "~/.cache/percept/dreamsim).")
    private Path dreamsimCache;

    @Override
    public Integer call() {
        HubSettings hub = HubSettings.fromEnvironment().withCacheDir(cacheDir);
        ModelStore store = new ModelStore(hub, DreamSimSettings.fromEnvironment(hub).withCacheDir(dreamsimCache),
                KnownModels.DEFAULT);
        spec.commandLine().getOut().print(ModelTable.render(store.cache().root(), store.dreamsim().root(), store.list()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
