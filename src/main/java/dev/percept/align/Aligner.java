package dev.percept.align;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.Seeds;
import dev.percept.console.Progress;
import dev.percept.data.Triplet;
import dev.percept.data.TwoAfcSources;
import dev.percept.embed.Embedder;
import dev.percept.eval.Bootstrap;
import dev.percept.eval.EvalResult;
import dev.percept.eval.Metric;
import dev.percept.eval.TaskResult;
import dev.percept.eval.TwoAfcTask;
import dev.percept.hub.ModelStore;
import dev.percept.image.Preprocessing;
import dev.percept.io.AtomicCopy;
import dev.percept.io.JsonFiles;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Tensors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Perceptual alignment: trains LoRA branches on a backbone (or one per ensemble member) so that
 * 1 - cos distances between its features agree with human 2AFC choices, with DreamSim's hinge
 * loss and Adam. A run lives in one folder:
 *
 * <pre>
 * config.json              the resolved settings
 * metrics.jsonl            one line per optimizer step and one per epoch
 * checkpoint.safetensors   LoRA weights, Adam moments and counters after the last saved step
 * epochs/&lt;n&gt;/adapter/      the adapter after epoch n (PEFT layout; ensembles: one folder per member)
 * adapter/                 the epoch with the lowest validation loss, copied when the run ends
 * result.json              per-epoch losses and 2AFC scores, and which epoch was kept
 * </pre>
 *
 * <p>Every random draw is fixed by the seed and the position in the run (dropout is re-seeded per
 * micro-batch, the triplet order per epoch), so a run resumed from its checkpoint ends with the
 * same adapter bytes as one that never stopped.
 */
public final class Aligner {
    /** Triplets per evaluation batch (no gradients, so larger than training batches). */
    private static final int EVAL_BATCH = 32;

    /**
     * How to run, beside what to learn.
     *
     * @param checkpointSeconds save at most this often between epochs (0: after every step)
     * @param pixelCacheBytes memory for preprocessed images kept across epochs
     * @param checkpointActivations recompute each transformer block in backward instead of keeping
     *     its activations (LoRA training: less memory, same adapter)
     */
    public record RunOptions(Path out, boolean resume, ComputeDevice device, ModelStore store,
            double checkpointSeconds, long pixelCacheBytes, boolean checkpointActivations, PrintStream log) {}

    public record Epoch(int epoch, double trainLoss, double valLoss, Bootstrap.Interval val2afc) {}

    /** The run's outcome: the kept adapter folder and the epochs behind it. */
    public record Result(Path adapter, int bestEpoch, List<Epoch> epochs) {}

    private final AlignConfig config;
    private final RunOptions options;
    private final Path checkpointFile;
    private List<Member> members = List.of();
    private TrainableModel training;
    private MetricsLog metrics;
    private TripletPixels pixels;
    private TrainingState state = TrainingState.START;
    private long lastCheckpoint = System.nanoTime();

    private Aligner(AlignConfig config, RunOptions options) {
        this.config = config;
        this.options = options;
        this.checkpointFile = options.out().resolve("checkpoint.safetensors");
    }

    /** Trains (or, with {@code options.resume()}, continues) a run and returns what it kept. */
    public static Result run(AlignConfig config, RunOptions options) {
        Aligner aligner = new Aligner(config, options);
        try {
            return aligner.train();
        } finally {
            aligner.close();
        }
    }

    private Result train() {
        Path configFile = options.out().resolve("config.json");
        if (options.resume()) {
            if (!Files.isRegularFile(configFile)) {
                throw new PerceptException("nothing to resume: " + configFile + " does not exist");
            }
            List<String> changed = AlignConfig.read(configFile).differences(config);
            if (!changed.isEmpty()) {
                throw new PerceptException("--resume continues a run with its own settings, but this command changes "
                        + String.join("; ", changed) + " (saved in " + configFile + ")");
            }
        } else if (Files.exists(configFile)) {
            throw new PerceptException(options.out() + " already holds a run; pass --resume to continue it, "
                    + "or choose another --out");
        }
        Split split = triplets();
        open(split);
        if (!options.resume()) {
            JsonFiles.write(configFile, config.toJson()); // only once the data and the model are known good
        }
        if (options.resume() && Files.isRegularFile(checkpointFile)) {
            state = training.load(checkpointFile);
            options.log().printf(Locale.ROOT, "resuming after step %d (%d epoch(s) validated)%n", state.steps(),
                    state.validatedEpochs());
        }
        metrics = MetricsLog.open(options.out().resolve("metrics.jsonl"), state.metricsBytes());

        int microBatches = ceilDiv(split.train().size(), config.schedule().batch());
        int stepsPerEpoch = ceilDiv(microBatches, config.schedule().accumulate());
        options.log().printf(Locale.ROOT, "aligning %s: %d training and %d validation triplets, %d epoch(s) of %d "
                + "step(s), %s%n", config.model().spec(), split.train().size(), split.val().size(), config.schedule().epochs(),
                stepsPerEpoch, members.get(0).backbone().precision());
        for (int epoch = 0; epoch < config.schedule().epochs(); epoch++) {
            long first = (long) epoch * stepsPerEpoch;
            if (state.steps() < first + stepsPerEpoch) {
                trainEpoch(epoch, split.train(), stepsPerEpoch, microBatches, (int) (state.steps() - first));
            }
            if (state.validatedEpochs() <= epoch) {
                validate(epoch, split.val());
            }
        }
        return finish();
    }

    // ---- data ----

    private record Split(List<Triplet> train, List<Triplet> val) {
        List<Triplet> all() {
            List<Triplet> out = new ArrayList<>(train);
            out.addAll(val);
            return out;
        }
    }

    private Split triplets() {
        Path data = config.triplets().data();
        List<Triplet> train;
        List<Triplet> val;
        boolean nights = Files.isRegularFile(data.resolve("data.csv"));
        boolean trainValFolders = Files.isDirectory(data.resolve("train")) && Files.isDirectory(data.resolve("val"));
        if (config.triplets().val() != null) {
            train = read(nights || !trainValFolders ? data : data.resolve("train"), config.triplets().split());
            val = read(config.triplets().val(), "val");
        } else if (nights) {
            train = read(data, config.triplets().split());
            val = read(data, "val");
        } else if (trainValFolders) {
            train = read(data.resolve("train"), config.triplets().split());
            val = read(data.resolve("val"), "val");
        } else {
            List<Triplet> all = new ArrayList<>(read(data, config.triplets().split()));
            Collections.shuffle(all, new Random(Seeds.at(config.schedule().seed(), -1)));
            int n = Math.max(1, (int) Math.round(all.size() * config.triplets().valFraction()));
            if (all.size() - n < 1) {
                throw new PerceptException(data + " holds " + all.size() + " triplet(s): too few to hold out "
                        + "validation triplets; pass --val SOURCE");
            }
            val = List.copyOf(all.subList(0, n));
            train = List.copyOf(all.subList(n, all.size()));
        }
        if (config.triplets().maxTriplets() > 0 && train.size() > config.triplets().maxTriplets()) {
            List<Triplet> shuffled = new ArrayList<>(train);
            Collections.shuffle(shuffled, new Random(Seeds.at(config.schedule().seed(), -2)));
            train = List.copyOf(shuffled.subList(0, config.triplets().maxTriplets()));
        }
        return new Split(train, val);
    }

    private List<Triplet> read(Path source, String split) {
        return TwoAfcSources.read(source, split, config.schedule().seed());
    }

    // ---- models ----

    private void open(Split split) {
        members = config.model().request(options.device()).open(options.store());
        for (Member m : members) {
            if (m.features() == FeatureMode.PATCH_TOKENS) {
                throw new PerceptException("--features patch_tokens is a grid, not a vector to align; use cls_patch "
                        + "for the patch-level objective");
            }
        }
        AlignConfig.Optimizer adam = config.optimizer();
        training = config.method() == AlignConfig.Method.MLP_HEAD
                ? new MlpHeadTraining(members, config.headHidden(), adam.beta1(), adam.beta2(), adam.weightDecay(),
                        config.schedule().seed(), split.all())
                : new LoraTraining(members, config.lora(), adam.beta1(), adam.beta2(), adam.weightDecay(),
                        config.schedule().seed(), options.checkpointActivations());
        if (training.needsPixels()) {
            pixels = new TripletPixels(members.stream().map(Member::preprocessing).toList(), options.pixelCacheBytes());
        }
    }

    // ---- training ----

    private void trainEpoch(int epoch, List<Triplet> train, int stepsPerEpoch, int microBatches, int fromStep) {
        List<Triplet> order = new ArrayList<>(train);
        Collections.shuffle(order, new Random(Seeds.at(config.schedule().seed(), epoch)));
        int firstMicro = fromStep * config.schedule().accumulate();
        Progress progress = Progress.onStderr(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.schedule().epochs()),
                "triplets", order.size() - Math.min(order.size(), (long) firstMicro * config.schedule().batch()));
        training.setTraining(true);
        CompletableFuture<Map<Preprocessing, float[]>> next = prepare(microBatch(order, firstMicro));
        for (int step = fromStep; step < stepsPerEpoch; step++) {
            int end = Math.min(microBatches, (step + 1) * config.schedule().accumulate());
            int start = step * config.schedule().accumulate();
            long stepStart = System.nanoTime();
            double lossSum = 0;
            int stepTriplets = 0;
            for (int mb = start; mb < end; mb++) {
                List<Triplet> batch = microBatch(order, mb);
                Map<Preprocessing, float[]> input = Embedder.await(next);
                next = mb + 1 < microBatches ? prepare(microBatch(order, mb + 1)) : null;
                Tensors.seed(Seeds.at(config.schedule().seed(), (long) epoch * microBatches + mb)); // dropout draws
                double loss = training.accumulate(batch, input, config.margin(),
                        (double) batch.size() / tripletsIn(order, start, end));
                if (!Double.isFinite(loss)) {
                    throw new PerceptException(String.format(Locale.ROOT, "the loss became %s at epoch %d, step %d; "
                            + "stopping. The last good checkpoint (after step %d) is kept in %s; resume from it with a "
                            + "lower --lr or --precision fp32", loss, epoch + 1, step + 1, state.steps(), checkpointFile));
                }
                lossSum += loss * batch.size();
                stepTriplets += batch.size();
                progress.advance(batch.size());
            }
            training.step(config.optimizer().lr());
            double stepLoss = lossSum / stepTriplets;
            progress.note(String.format(Locale.ROOT, "loss %.4f", stepLoss));
            ObjectNode line = JsonFiles.mapper().createObjectNode();
            line.put("epoch", epoch + 1);
            line.put("step", state.steps() + 1);
            line.put("loss", stepLoss);
            line.put("triplets", stepTriplets);
            line.put("triplets_per_s", stepTriplets / ((System.nanoTime() - stepStart) / 1e9));
            metrics.append(line);
            state = state.afterStep(stepLoss * stepTriplets, stepTriplets, metrics.bytes());
            if (step + 1 == stepsPerEpoch || System.nanoTime() - lastCheckpoint >= options.checkpointSeconds() * 1e9) {
                checkpoint();
            }
        }
    }

    private List<Triplet> microBatch(List<Triplet> order, int index) {
        int from = index * config.schedule().batch();
        return order.subList(from, Math.min(order.size(), from + config.schedule().batch()));
    }

    private int tripletsIn(List<Triplet> order, int startMicro, int endMicro) {
        return Math.min(order.size(), endMicro * config.schedule().batch()) - startMicro * config.schedule().batch();
    }

    /** Starts preparing a batch's pixels, if the model reads them. */
    private CompletableFuture<Map<Preprocessing, float[]>> prepare(List<Triplet> batch) {
        return pixels == null ? CompletableFuture.completedFuture(Map.of()) : pixels.prepare(batch);
    }

    // ---- validation, checkpoints, the end ----

    /**
     * The 2AFC protocol on the validation triplets with this epoch's weights, plus the hinge loss
     * per triplet; written as {@code epochs/<n>/validation.json} in the schema of every evaluation.
     */
    private void validate(int epoch, List<Triplet> val) {
        training.setTraining(false);
        double[][] d;
        try (Embedder embedder = new Embedder(members, FeatureNorm.NONE, EVAL_BATCH)) {
            Map<Path, float[]> features = TripletFeatures.embed(embedder, val, Progress.onStderr("validate", "img", 0));
            d = TwoAfcTask.distances(features::get, val);
        }
        List<Metric> scores = new ArrayList<>(TwoAfcTask.metrics(d, val));
        Metric hinge = Metric.mean("loss", false,
                HingeLoss.perTriplet(d, val.stream().mapToInt(Triplet::target).toArray(), config.margin()), 0);
        scores.add(hinge);
        double loss = hinge.value();
        double trainLoss = state.epochTriplets() == 0 ? Double.NaN : state.epochLossSum() / state.epochTriplets();
        boolean best = loss < state.bestValLoss();
        Path output = epochFolder(epoch + 1);
        training.writeOutput(output);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("epoch", epoch + 1);
        details.put("train_loss", trainLoss);
        details.put("best_so_far", best);
        EvalResult result = EvalResult.of(new TaskResult(TwoAfcTask.NAME, validationSource(), null, scores, details, null),
                evaluated(output), config.schedule().seed()).withSetting("validation");
        result.write(output.getParent().resolve("validation.json"));
        Bootstrap.Interval score = interval(result.metric(TwoAfcTask.NAME));
        ObjectNode line = JsonFiles.mapper().createObjectNode();
        line.put("epoch", epoch + 1);
        line.put("train_loss", trainLoss);
        line.put("val_loss", loss);
        line.put("val_2afc", score.mean());
        line.put("val_2afc_ci_low", score.low());
        line.put("val_2afc_ci_high", score.high());
        line.put("best", best);
        metrics.append(line);
        options.log().printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, val loss %.4f, val 2AFC %.4f [%.4f, %.4f]%s%n",
                epoch + 1, config.schedule().epochs(), trainLoss, loss, score.mean(), score.low(), score.high(),
                best ? " (best so far)" : "");
        state = state.afterValidation(epoch + 1, best, loss, metrics.bytes());
        checkpoint();
    }

    private static Bootstrap.Interval interval(EvalResult.Score s) {
        return new Bootstrap.Interval(s.value(), s.low(), s.high(), s.n());
    }

    /** The model an epoch's output stands for: the base model with that epoch's adapter or head. */
    private EvalResult.EvaluatedModel evaluated(Path output) {
        AlignConfig.Model m = config.model();
        String features = m.features() == null ? "default" : m.features().cliName();
        return config.method() == AlignConfig.Method.MLP_HEAD
                ? new EvalResult.EvaluatedModel(m.spec(), null, output.toString(), features)
                : new EvalResult.EvaluatedModel(m.spec(), output.toString(), null, features);
    }

    /** Where the validation triplets come from, as the validation result names its dataset. */
    private Path validationSource() {
        if (config.triplets().val() != null) {
            return config.triplets().val();
        }
        boolean trainValFolders = Files.isDirectory(config.triplets().data().resolve("train")) && Files.isDirectory(config.triplets().data().resolve("val"));
        return trainValFolders ? config.triplets().data().resolve("val") : config.triplets().data();
    }

    /** Where epoch {@code n}'s adapter lives; for an ensemble, one subfolder per member. */
    private Path epochFolder(int n) {
        return options.out().resolve("epochs").resolve(Integer.toString(n)).resolve(training.outputName());
    }

    private void checkpoint() {
        training.save(checkpointFile, state);
        lastCheckpoint = System.nanoTime();
    }

    private Result finish() {
        Path kept = options.out().resolve(training.outputName());
        AtomicCopy.tree(epochFolder(state.bestEpoch()), kept);
        List<Epoch> epochs = metrics.epochs();
        ObjectNode result = JsonFiles.mapper().createObjectNode();
        result.put("adapter", kept.toString());
        result.put("best_epoch", state.bestEpoch());
        result.put("best_val_loss", state.bestValLoss());
        var list = result.putArray("epochs");
        for (Epoch e : epochs) {
            ObjectNode o = list.addObject();
            o.put("epoch", e.epoch());
            o.put("train_loss", e.trainLoss());
            o.put("val_loss", e.valLoss());
            o.put("val_2afc", e.val2afc().mean());
            o.put("val_2afc_ci_low", e.val2afc().low());
            o.put("val_2afc_ci_high", e.val2afc().high());
        }
        JsonFiles.write(options.out().resolve("result.json"), result);
        options.log().printf(Locale.ROOT, "kept epoch %d (lowest validation loss %.4f): %s%n", state.bestEpoch(),
                state.bestValLoss(), kept);
        return new Result(kept, state.bestEpoch(), epochs);
    }

    private void close() {
        if (pixels != null) {
            pixels.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (training != null) {
            training.close();
        }
        members.forEach(m -> m.backbone().close());
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
