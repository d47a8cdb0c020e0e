package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.hub.KnownModel;
import dev.percept.hub.KnownModels;
import dev.percept.align.AlignConfig;
import dev.percept.align.Aligner;
import dev.percept.align.LoraSpec;
import dev.percept.embed.ModelRequest;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "align", mixinStandardHelpOptions = true,
        description = {"Fine-tune a model (or each member of an ensemble) with LoRA so that its distances agree with "
                + "human 2AFC judgments: DreamSim's hinge loss (margin 0.05) on 1 - cos, Adam.",
            "Defaults follow DreamSim: one model r 16, alpha 32, dropout 0.2, batch 32, 8 epochs; an ensemble "
                + "r 16, alpha 8, dropout 0.3, batch 16, 6 epochs; lr 3e-4, betas (0.5, 0.999), seed 1234.",
            "The patch-level objective is --features cls_patch. The adapter of the epoch with the lowest "
                + "validation loss ends up in OUT/adapter (PEFT layout; use it with --adapter), or with --train mlp_head "
                + "in OUT/head (use it with --head)."})
final class AlignCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "Training triplets: NIGHTS folder, BAPPS 2afc folder, folder of class folders, THINGS list "
                    + "(.txt) or CSV (ref,left,right,p). A folder with train/ and val/ inside trains on one, validates on the other.")
    Path data;

    @Option(names = "--split", defaultValue = "train", paramLabel = "NAME",
            description = "NIGHTS split to train on. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--val", paramLabel = "SOURCE",
            description = "Validation triplets (default: NIGHTS' val split, a val/ folder, else --val-fraction of --data).")
    Path val;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of --data held out for validation when there is no validation source. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--max-triplets", defaultValue = "0", paramLabel = "N",
            description = "Train on at most N triplets (a seeded sample; 0: all).")
    int maxTriplets;

    @Option(names = "--train", defaultValue = "lora", paramLabel = "WHAT",
            description = "lora (branches in the backbone) or mlp_head (DreamSim's MLP variant: x + fc2(relu(fc1(x))) on "
                    + "the frozen model's feature; one model only; defaults batch 512, 20 epochs). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--head-hidden", defaultValue = "512", paramLabel = "N",
            description = "Hidden width of the MLP head. Default: ${DEFAULT-VALUE}.")
    int headHidden;

    @Option(names = "--lora-r", paramLabel = "R", description = "LoRA rank (default 16).")
    Integer rank;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha; the update is scaled by alpha / r (default 32, ensembles 8).")
    Double alpha;

    @Option(names = "--lora-dropout", paramLabel = "P", description = "Dropout on LoRA inputs (default 0.2, ensembles 0.3).")
    Double dropout;

    @Option(names = "--lora-targets", defaultValue = "qkv", paramLabel = "LIST",
            description = "Projections to adapt in every block, comma-separated: qkv, proj (attention output), fc1, fc2 (MLP). "
                    + "Default: ${DEFAULT-VALUE}.")
    String targets;

    @Option(names = "--lr", defaultValue = "3e-4", paramLabel = "LR", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--betas", defaultValue = "0.5,0.999", paramLabel = "B1,B2", description = "Adam betas. Default: ${DEFAULT-VALUE}.")
    String betas;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "W", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--batch", paramLabel = "N", description = "Triplets per micro-batch (default 32, ensembles 16).")
    Integer batch;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "K",
            description = "Micro-batches per optimizer step (gradient accumulation). Default: ${DEFAULT-VALUE}.")
    int accumulate;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 8, ensembles 6).")
    Integer epochs;

    @Option(names = "--margin", defaultValue = "0.05", paramLabel = "M", description = "Hinge margin. Default: ${DEFAULT-VALUE}.")
    double margin;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "S",
            description = "Seed of every random choice (LoRA init, order, dropout, held-out split). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (config, metrics, checkpoints, adapters).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (same command, plus --resume).")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "Save progress at most this often within an epoch (0: after every step); always at epoch ends. "
                    + "Default: ${DEFAULT-VALUE}.")
    double checkpointSeconds;

    @Option(names = "--pixel-cache-mb", defaultValue = "2048", paramLabel = "MB",
            description = "Memory for preprocessed images kept between epochs. Default: ${DEFAULT-VALUE}.")
    long pixelCacheMb;

    @Option(names = "--checkpoint-activations",
            description = "LoRA training: keep only each transformer block's input and recompute the block in backward "
                    + "(activation checkpointing). Less memory for about one more forward per step; the same adapter.")
    boolean checkpointActivations;

    @Override
    public Integer call() {
        if (model.head != null) {
            throw new PerceptException("align trains from the base model; --head is for using a trained head");
        }
        if (model.adapter != null) {
            throw new PerceptException("align trains a new adapter from the base model; --adapter is not taken here "
                    + "(merge one first with `percept merge` to train on top of it)");
        }
        if (model.normalize != null && !model.normalize.equals("none")) {
            throw new PerceptException("align trains on plain cosine distances; --normalize is for embedding");
        }
        if (KnownModels.DEFAULT.find(model.model.strip()).filter(KnownModel::isDreamSim).isPresent()) {
            throw new PerceptException(model.model + " is one of DreamSim's released, already aligned models; align starts"
                    + " from backbones, e.g. dino_vitb16 or ensemble (DreamSim's three)");
        }
        boolean ensemble = model.memberNames().size() > 1;
        AlignConfig.Method trained = AlignConfig.Method.parse(method);
        boolean head = trained == AlignConfig.Method.MLP_HEAD;
        LoraSpec defaults = ensemble ? LoraSpec.ensembleDefault() : LoraSpec.singleDefault();
        LoraSpec lora = new LoraSpec(rank != null ? rank : defaults.rank(), alpha != null ? alpha : defaults.alpha(),
                dropout != null ? dropout : defaults.dropout(),
                Arrays.stream(targets.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        double[] b = parseBetas(betas);
        ModelRequest request = model.request();
        AlignConfig config = new AlignConfig(
                new AlignConfig.Model(request.spec(), request.features(), request.precision(), request.imageSize(),
                        request.preprocess(), request.activation(), request.checkpointKey()),
                new AlignConfig.Triplets(data, split, val, valFraction, maxTriplets),
                trained, lora, headHidden,
                new AlignConfig.Optimizer(lr, b[0], b[1], weightDecay),
                margin,
                new AlignConfig.Schedule(batch != null ? batch : head ? 512 : ensemble ? 16 : 32, accumulate,
                        epochs != null ? epochs : head ? 20 : ensemble ? 6 : 8, seed));
        Engine.start(model.threads);
        Aligner.run(config, new Aligner.RunOptions(out, resume, request.device(), model.store(),
                checkpointSeconds, pixelCacheMb << 20, checkpointActivations, System.out));
        return 0;
    }

    private static double[] parseBetas(String s) {
        String[] parts = s.split(",");
        try {
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PerceptException("--betas takes two numbers, e.g. 0.5,0.999, not " + s);
    }
}
