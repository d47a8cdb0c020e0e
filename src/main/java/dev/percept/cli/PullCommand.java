package dev.percept.cli;

import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.hub.TransferProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code percept pull NAME}: fetches a known model into the Hugging Face cache. */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = {
            "Download a known model (see `percept models`) into the Hugging Face hub cache.",
            "Environment: HF_HUB_CACHE / HF_HOME (cache), HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE."
        })
final class PullCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "A known model name, e.g. dino_vitb16 or ensemble.")
    private String name;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Hub cache folder (default: as huggingface_hub).")
    private Path cacheDir;

    @Option(names = "--revision", paramLabel = "REV", description = "Branch, tag or commit instead of the model's own.")
    private String revision;

    @Option(names = "--offline", description = "No network: only check that the model is in the cache.")
    private boolean offline;

    @Override
    public Integer call() {
        HubSettings settings = HubSettings.fromEnvironment().withCacheDir(cacheDir).withOffline(offline);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Path> folders = new ModelStore(settings, KnownModels.DEFAULT)
                .pull(name, revision, TransferProgress.forConsole(out));
        folders.forEach((model, folder) -> out.println(model + " ready in " + folder));
        return 0;
    }
}
