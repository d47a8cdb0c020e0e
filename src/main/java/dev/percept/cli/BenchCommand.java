package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.align.LoraSpec;
import dev.percept.bench.AlignBenchmark;
import dev.percept.bench.EmbedBenchmark;
import dev.percept.bench.ProbeBenchmark;
import dev.percept.image.Normalization;
import dev.percept.image.ResampleFilter;
import dev.percept.model.Backbone;
import dev.percept.model.InputSpec;
import dev.percept.model.Member;
import dev.percept.model.ModelLoader;
import dev.percept.model.RandomWeights;
import dev.percept.model.VitConfig;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure speed and memory.",
        subcommands = {BenchCommand.Embed.class, BenchCommand.Align.class, BenchCommand.Probes.class, BenchSearchCommand.class})
final class BenchCommand {

    /** The model name that stands for a randomly initialised ViT-B/16 (no download needed). */
    static final String RANDOM_VIT_B16 = "random-vit-b16";

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Images/s of the network alone and of the whole embed path (JPEG decode, resize, "
                    + "network), and peak memory. --model " + RANDOM_VIT_B16 + " uses random ViT-B/16 weights.")
    static final class Embed implements Callable<Integer> {
        @Mixin
        ModelOptions model;

        @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
                description = "Time budget of each of the two measurements. Default: ${DEFAULT-VALUE}.")
        double seconds;

        @Option(names = "--profile", description = "Also time each operation of one block at the model's shapes.")
        boolean profile;

        @Override
        public Integer call() throws Exception {
            List<Member> members = open(model);
            if (members.size() != 1) {
                throw new PerceptException("bench embed measures one model, not an ensemble");
            }
            Path work = Files.createTempDirectory("percept-bench");
            try {
                EmbedBenchmark.Result r = EmbedBenchmark.run(members.get(0), ComputeDevice.parse(model.device), batch,
                        Engine.threads(), seconds, profile, work);
                System.out.printf(Locale.ROOT,
                        "model %s, batch %d, threads %d, precision %s, %.1f GFLOP per image (matrix products)%n"
                                + "network only:            %6.2f images/s%s%n"
                                + "with decode+preprocess:  %6.2f images/s%s (%.2fx network only)%n"
                                + "peak memory (RSS):       %6.0f MB%n",
                        model.model, r.batch(), r.threads(), r.precision(), r.flopsPerImage() / 1e9,
                        r.networkImagesPerSecond(), shares(r, r.networkImagesPerSecond()),
                        r.endToEndImagesPerSecond(), shares(r, r.endToEndImagesPerSecond()),
                        r.endToEndImagesPerSecond() / r.networkImagesPerSecond(), r.peakRssBytes() / 1e6);
                if (!Double.isNaN(r.shapeGflops())) {
                    System.out.printf(Locale.ROOT,
                            "ceilings measured now:   %.0f GFLOP/s for the block's linear layers alone, %.0f GFLOP/s at 2048^3%n",
                            r.shapeGflops(), r.squareGflops());
                }
                if (!r.profile().isEmpty()) {
                    printProfile(r, members.get(0).backbone().config().layers());
                }
                System.out.printf(Locale.ROOT,
                        "{\"images_per_s\": %.3f, \"end_to_end_images_per_s\": %.3f, \"peak_rss_mb\": %.0f, "
                                + "\"threads\": %d, \"batch\": %d, \"precision\": \"%s\", \"gflop_per_image\": %.3f, "
                                + "\"ceiling_gflops_block_shapes\": %s, \"ceiling_gflops_2048\": %s, "
                                + "\"share_of_block_shapes_ceiling\": %s, \"share_of_2048_ceiling\": %s}%n",
                        r.networkImagesPerSecond(), r.endToEndImagesPerSecond(), r.peakRssBytes() / 1e6,
                        r.threads(), r.batch(), r.precision(), r.flopsPerImage() / 1e9, json(r.shapeGflops()),
                        json(r.squareGflops()), json(r.share(r.networkImagesPerSecond(), r.shapeGflops())),
                        json(r.share(r.networkImagesPerSecond(), r.squareGflops())));
            } finally {
                try (var files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                members.forEach(m -> m.backbone().close());
            }
            return 0;
        }

        /** ", 41% of the block-shape ceiling, 30% of the 2048^3 ceiling", or nothing off the CPU. */
        private static String shares(EmbedBenchmark.Result r, double rate) {
            if (Double.isNaN(r.shapeGflops())) {
                return "";
            }
            return String.format(Locale.ROOT, "  (%.0f%% of the block-shape GEMM ceiling, %.0f%% of the 2048^3 ceiling)",
                    100 * r.share(rate, r.shapeGflops()), 100 * r.share(rate, r.squareGflops()));
        }

        private static String json(double x) {
            return Double.isNaN(x) ? "null" : String.format(Locale.ROOT, "%.4f", x);
        }

        private static void printProfile(EmbedBenchmark.Result r, int layers) {
            double block = r.blockMillis(layers);
            double sum = r.profile().values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, "one block, %.1f ms in the measured forward; its operations replayed alone:%n", block);
            r.profile().forEach((op, ms) -> System.out.printf(Locale.ROOT, "  %-22s %8.2f ms  %5.1f%%%n", op, ms, 100 * ms / block));
            System.out.printf(Locale.ROOT, "  %-22s %8.2f ms  %5.1f%%%n", "between the operations", block - sum,
                    100 * (block - sum) / block);
        }
    }

    @Command(name = "align", mixinStandardHelpOptions = true,
            description = "Triplets/s of full alignment steps (3 images per triplet forward, hinge loss, backward, Adam) "
                    + "with LoRA on qkv, and peak memory. --model " + RANDOM_VIT_B16 + " uses random ViT-B/16 weights.")
    static final class Align implements Callable<Integer> {
        @Mixin
        ModelOptions model;

        @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Triplets per step. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--lora-r", defaultValue = "16", paramLabel = "R", description = "Default: ${DEFAULT-VALUE}.")
        int rank;

        @Option(names = "--seconds", defaultValue = "30", paramLabel = "S", description = "Time budget. Default: ${DEFAULT-VALUE}.")
        double seconds;

        @Option(names = "--checkpoint-activations", description = "Recompute each block in backward (as align's option).")
        boolean checkpointActivations;

        @Override
        public Integer call() {
            List<Member> members = open(model);
            try {
                LoraSpec lora = new LoraSpec(rank, 2.0 * rank, 0.2, List.of("qkv"));
                AlignBenchmark.Result r = AlignBenchmark.run(members, lora, batch, Engine.threads(), seconds, checkpointActivations);
                System.out.printf(Locale.ROOT,
                        "model %s, %d triplets per step, threads %d, precision %s, %d LoRA parameters%s%n"
                                + "seconds per step:   %.3f%n"
                                + "triplets/s:         %.3f%n"
                                + "peak memory (RSS):  %.0f MB%n",
                        model.model, r.tripletsPerStep(), r.threads(), r.precision(), r.trainableParameters(),
                        checkpointActivations ? ", activation checkpointing" : "", r.secondsPerStep(), r.tripletsPerSecond(), r.peakRssBytes() / 1e6);
                System.out.printf(Locale.ROOT,
                        "{\"triplets_per_s\": %.4f, \"seconds_per_step\": %.4f, \"peak_rss_mb\": %.0f, "
                                + "\"threads\": %d, \"batch\": %d, \"precision\": \"%s\", \"checkpoint_activations\": %b}%n",
                        r.tripletsPerSecond(), r.secondsPerStep(), r.peakRssBytes() / 1e6, r.threads(),
                        r.tripletsPerStep(), r.precision(), checkpointActivations);
            } finally {
                members.forEach(m -> m.backbone().close());
            }
            return 0;
        }
    }

    /** The model(s) --model names, or random ViT-B/16 weights for {@value #RANDOM_VIT_B16}. */
    static List<Member> open(ModelOptions model) {
        if (!model.model.equals(RANDOM_VIT_B16)) {
            return model.open();
        }
        Engine.start(model.threads);
        VitConfig config = RandomWeights.vitB16();
        InputSpec input = new InputSpec(224, 256, ResampleFilter.BICUBIC, Normalization.IMAGENET);
        Backbone b = ModelLoader.fromWeights(RANDOM_VIT_B16, config, RandomWeights.of(config, 1234), input,
                Precision.parse(model.precision), ComputeDevice.parse(model.device));
        return List.of(new Member(b, input.squash(), b.defaultFeatures()));
    }

    @Command(name = "probes", mixinStandardHelpOptions = true,
            description = "Seconds of kNN (k 20, T 0.07) and of a linear probe (Adam, fixed epochs) over seeded synthetic "
                    + "features; --write keeps them as .npy for tools/bench/sklearn_probes.py.")
    static final class Probes implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "100000", paramLabel = "N",
                description = "Training rows (validation and test get a tenth each). Default: ${DEFAULT-VALUE}.")
        int rows;

        @Option(names = "--dim", defaultValue = "768", paramLabel = "D", description = "Default: ${DEFAULT-VALUE}.")
        int dim;

        @Option(names = "--classes", defaultValue = "100", paramLabel = "C", description = "Default: ${DEFAULT-VALUE}.")
        int classes;

        @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Linear probe epochs. Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--probe-batch", defaultValue = "1024", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
        int probeBatch;

        @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "Default: ${DEFAULT-VALUE}.")
        double lr;

        @Option(names = "--seed", defaultValue = "1234", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Compute threads (0: one per core).")
        int threads;

        @Option(names = "--write", paramLabel = "DIR", description = "Write the features and labels as .npy here.")
        Path write;

        @Override
        public Integer call() {
            Engine.start(threads);
            ProbeBenchmark.Result r = ProbeBenchmark.run(new ProbeBenchmark.Settings(rows, dim, classes, epochs, probeBatch, lr, seed, write));
            System.out.printf(Locale.ROOT, "%d x %d train features, %d classes, %d test rows, threads %d%n"
                            + "knn (k 20, T 0.07):           %8.2f s  accuracy %.4f%n"
                            + "linear probe (%d epochs):     %8.2f s  accuracy %.4f%n",
                    rows, dim, classes, rows / 10, Engine.threads(), r.knnSeconds(), r.knnAccuracy(), epochs, r.linearSeconds(),
                    r.linearAccuracy());
            System.out.printf(Locale.ROOT, "{\"knn_s\": %.3f, \"knn_accuracy\": %.4f, \"linear_s\": %.3f, \"linear_accuracy\": %.4f, "
                            + "\"threads\": %d}%n", r.knnSeconds(), r.knnAccuracy(), r.linearSeconds(), r.linearAccuracy(), Engine.threads());
            return 0;
        }
    }
}
