package dev.percept.cli;

import dev.percept.hub.DreamSimSettings;
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
            "Download a known model (see `percept models`) into the Hugging Face hub cache; DreamSim's released"
                    + " checkpoints (dreamsim, dreamsim_*) into the DreamSim cache.",
            "Environment: HF_HUB_CACHE / HF_HOME (cache), HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE;"
                    + " PERCEPT_DREAMSIM_CACHE, PERCEPT_DREAMSIM_URL, PERCEPT_FBAIPUBLICFILES_URL."
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

    @Option(names = "--dreamsim-cache", paramLabel = "DIR",
            description = "Folder of DreamSim's released checkpoints (default: $PERCEPT_DREAMSIM_CACHE, else "
                    + "~/.cache/percept/dreamsim).")
    private Path dreamsimCache;

    @Option(names = "--dreamsim-url", paramLabel = "URL",
            description = "Base URL of DreamSim's release zips, <URL>/<tag>/<zip> (default: $PERCEPT_DREAMSIM_URL, else "
                    + DreamSimSettings.DEFAULT_RELEASE_URL + ").")
    private String dreamsimUrl;

    @Option(names = "--backbone-url", paramLabel = "URL",
            description = "Base URL of the DINO and DINOv2 torch hub checkpoints DreamSim builds on (default: "
                    + "$PERCEPT_FBAIPUBLICFILES_URL, else " + DreamSimSettings.DEFAULT_BACKBONE_URL + ").")
    private String backboneUrl;

    @Override
    public Integer call() {
        HubSettings settings = HubSettings.fromEnvironment().withCacheDir(cacheDir).withOffline(offline);
        PrintWriter out = spec.commandLine().getOut();
        DreamSimSettings dreamsim = DreamSimSettings.fromEnvironment(settings).withCacheDir(dreamsimCache)
                .withReleaseUrl(dreamsimUrl).withBackboneUrl(backboneUrl);
        Map<String, Path> folders = new ModelStore(settings, dreamsim, KnownModels.DEFAULT)
                .pull(name, revision, TransferProgress.forConsole(out));
        folders.forEach((model, folder) -> out.println(model + " ready in " + folder));
        return 0;
    }
}
