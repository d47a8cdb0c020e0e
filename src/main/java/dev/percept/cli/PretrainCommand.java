package dev.percept.cli;

import dev.percept.pretrain.Pretrainer;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Pretrain the tiny stand-in ViT (64 px, patch 8, width 128, 6 blocks) from scratch: a category "
                + "classifier on augmented views (dropped afterwards), and write the ViT as a timm model folder.",
            "With the defaults on the synthetic world's classification set this reproduces the bundled demo/standin."})
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Folder of class folders (or with train/ and val/ inside), e.g. WORLD/classification.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write.")
    Path out;

    @Option(names = "--steps", defaultValue = "1500", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--per-class", defaultValue = "16", paramLabel = "K",
            description = "Images per category in each batch. Default: ${DEFAULT-VALUE}.")
    int perClass;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR",
            description = "Peak learning rate (100 warm-up steps, then cosine decay). Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--resume", description = "Continue the unfinished job in --out from its checkpoint (same command, plus --resume).")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "Save progress at most this often (0: after every step). Default: ${DEFAULT-VALUE}.")
    double checkpointSeconds;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Compute threads (0: one per core).")
    int threads;

    @Override
    public Integer call() {
        Engine.start(threads);
        Pretrainer.run(new Pretrainer.Options(data, out, steps, perClass, lr, seed, resume, checkpointSeconds), System.out);
        return 0;
    }
}
