package dev.percept.cli;

import dev.percept.demo.Demo;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole study offline on the synthetic world: build it, align the bundled stand-in ViT on "
                + "NIGHTS-like triplets (image and patch objectives) and on BAPPS-, THINGS- and ImageNet-like ones, score "
                + "base and aligned on 2AFC and on counting, segmentation, depth, retrieval and classification, print the "
                + "tables and write an HTML report.",
            "A second run in the same --out reuses every finished stage; an interrupted one resumes."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "World and training seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Alignment epochs per variant. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--max-triplets", defaultValue = "6000", paramLabel = "N",
            description = "Training triplets per variant at most (smaller sources use all they have). Default: ${DEFAULT-VALUE}.")
    int maxTriplets;

    @Option(names = "--lr", defaultValue = "5e-4", paramLabel = "LR", description = "Alignment learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Compute threads (0: one per core).")
    int threads;

    @Override
    public Integer call() {
        Engine.start(threads);
        Path standin = Path.of(System.getProperty("percept.home", ".")).resolve("demo").resolve("standin");
        ModelStore store = new ModelStore(HubSettings.fromEnvironment().withOffline(true), KnownModels.DEFAULT);
        Demo.run(new Demo.Settings(out, standin.toAbsolutePath().normalize(), seed, epochs, maxTriplets, lr, store, System.out));
        return 0;
    }
}
