package dev.percept.pretrain;

import dev.percept.PerceptException;
import dev.percept.Seeds;
import dev.percept.console.Progress;
import dev.percept.data.LabeledImages;
import dev.percept.eval.ClassificationMetrics;
import dev.percept.eval.EvalResult;
import dev.percept.eval.KnnTask;
import dev.percept.eval.KnnVote;
import dev.percept.eval.Metric;
import dev.percept.eval.TaskResult;
import dev.percept.image.ImageDecoder;
import dev.percept.image.Normalization;
import dev.percept.image.Preprocessing;
import dev.percept.image.ResampleFilter;
import dev.percept.image.RgbImage;
import dev.percept.model.Backbone;
import dev.percept.model.Ensemble;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.InputSpec;
import dev.percept.model.Member;
import dev.percept.model.ModelLoader;
import dev.percept.model.RandomWeights;
import dev.percept.model.VitConfig;
import dev.percept.tensor.Adam;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.CosineTopK;
import dev.percept.tensor.LinearClassifier;
import dev.percept.tensor.Parameters;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import dev.percept.tensor.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretrains the stand-in from scratch so that, like the paper's pretrained backbones, its
 * features know category and are invariant to what varies within one (count, layout, colour,
 * pose) and to crops, flips and lighting: a linear classifier over categories on augmented views,
 * trained with the ViT under cross-entropy and then dropped. (A supervised contrastive loss
 * collapsed to a constant feature on this data in our trials; the classifier learns steadily.)
 * The ViT is written as a timm model folder. Every draw comes from the seed, so the command
 * reproduces its weights on the same machine and thread count.
 */
public final class Pretrainer {
    private static final int WARMUP_STEPS = 100;
    /** Where an unfinished job keeps its state, inside --out; removed once the model is written. */
    static final String CHECKPOINT = "pretrain-checkpoint.safetensors";
    /** The kNN check on val/, in the schema of every evaluation. */
    static final String VALIDATION = "validation.json";
    /** Neighbours that vote in the kNN check. */
    private static final int VAL_K = 10;

    /**
     * @param data a folder of class folders, or one with {@code train/} (and {@code val/}) inside
     * @param perClass images per class in a batch (each anchor needs a positive: at least 2)
     */
    public record Options(Path data, Path out, int steps, int perClass, double lr, long seed, boolean resume,
            double checkpointSeconds) {
        public Options {
            if (steps <= 0 || perClass < 1 || lr <= 0) {
                throw new PerceptException("pretraining needs positive --steps, --per-class and --lr");
            }
        }

        /** What the weights depend on: a checkpoint only continues a job with the same values. */
        Map<String, String> recipe() {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("data", data.toString());
            r.put("steps", Integer.toString(steps));
            r.put("per_class", Integer.toString(perClass));
            r.put("lr", Double.toString(lr));
            r.put("seed", Long.toString(seed));
            return r;
        }
    }

    /** @param validation the kNN check on {@code val/} (also written as {@code validation.json}), or null without one */
    public record Result(double finalLoss, EvalResult validation, long parameters) {}

    private Pretrainer() {}

    public static Result run(Options o, PrintStream log) {
        Path trainDir = Files.isDirectory(o.data().resolve("train")) ? o.data().resolve("train") : o.data();
        LabeledImages train = LabeledImages.read(trainDir);
        if (train.classes().size() < 2) {
            throw new PerceptException(trainDir + ": pretraining contrasts categories and needs two class folders");
        }
        Path valDir = o.data().resolve("val");
        LabeledImages val = Files.isDirectory(valDir) ? LabeledImages.read(valDir).relabel(train.classes()) : null;
        List<RgbImage> images = decode(train.images(), "decode train");
        VitConfig config = StandIn.config();
        InputSpec input = new InputSpec(StandIn.IMAGE, StandIn.IMAGE, ResampleFilter.BICUBIC, Normalization.IMAGENET);
        Preprocessing prep = input.squash();
        SplittableRandom init = new SplittableRandom(o.seed());
        try (Backbone model = ModelLoader.fromWeights("standin", config, RandomWeights.of(config, init.nextLong()), input,
                Precision.FP32, ComputeDevice.CPU)) {
            Parameters weights = model.transformer().trainAllWeights();
            long count = weights.count();
            log.printf(Locale.ROOT, "pretraining the stand-in (%d parameters) on %d images of %d categories, %d steps%n",
                    count, images.size(), train.classes().size(), o.steps());
            Tensors.seed(init.nextLong());
            double loss;
            try (LinearClassifier head = new LinearClassifier(model.placement(), config.hidden(), train.classes().size());
                    Adam adam = new Adam(Parameters.concat(List.of(weights, head.parameters())), 0.9, 0.999, 0)) {
                loss = train(model, head, adam, images, indicesByClass(train), prep, o);
            }
            EvalResult validation = null;
            if (val != null) {
                validation = EvalResult.of(new TaskResult(KnnTask.NAME, valDir, null,
                        List.of(knnAccuracy(model, prep, images, train.labels(), val)), Map.of("k", VAL_K, "train", images.size()), null),
                        new EvalResult.EvaluatedModel(o.out().toString(), null, null, FeatureMode.CLS.cliName()), o.seed())
                        .withSetting("pretraining check: " + VAL_K + " nearest, unweighted vote");
                log.print(validation.table());
            }
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("pretrained_by", "percept pretrain");
            provenance.putAll(o.recipe());
            StandIn.write(o.out(), weights, provenance);
            deleteCheckpoint(o.out().resolve(CHECKPOINT));
            if (validation != null) {
                validation.write(o.out().resolve(VALIDATION));
            }
            log.printf(Locale.ROOT, "final loss %.4f; wrote %s%n", loss, o.out());
            return new Result(loss, validation, count);
        }
    }

    /** Runs the steps (from a checkpoint with --resume), saving one every --checkpoint-seconds; returns the last loss. */
    private static double train(Backbone model, LinearClassifier head, Adam adam, List<RgbImage> images,
            List<List<Integer>> byClass, Preprocessing prep, Options o) {
        Progress progress = Progress.onStderr("pretrain", "steps", o.steps());
        Path checkpoint = o.out().resolve(CHECKPOINT);
        int first = resumeFrom(checkpoint, o, adam);
        progress.advance(first);
        double loss = Double.NaN;
        long saved = System.nanoTime();
        for (int step = first; step < o.steps(); step++) {
            SplittableRandom random = Seeds.stream(o.seed(), step + 1);
            loss = step(model, head, images, byClass, prep, o, random);
            if (!Double.isFinite(loss)) {
                throw new PerceptException("pretraining diverged at step " + (step + 1) + " (loss " + loss + "); lower --lr");
            }
            adam.step(learningRate(o, step));
            progress.note(String.format(Locale.ROOT, "loss %.4f", loss));
            progress.advance(1);
            if (step + 1 < o.steps() && System.nanoTime() - saved >= o.checkpointSeconds() * 1e9) {
                Map<String, String> counters = o.recipe();
                counters.put("step", Integer.toString(step + 1));
                TrainingCheckpoint.save(checkpoint, adam, counters);
                saved = System.nanoTime();
            }
        }
        return loss;
    }

    /**
     * The step to start from: 0 for a new job, else the step an interrupted one saved (its weights
     * and moments restored). A checkpoint is only continued with --resume and the same recipe.
     */
    private static int resumeFrom(Path checkpoint, Options o, Adam adam) {
        if (!Files.isRegularFile(checkpoint)) {
            if (o.resume()) {
                throw new PerceptException("nothing to resume: " + checkpoint + " does not exist");
            }
            return 0;
        }
        if (!o.resume()) {
            throw new PerceptException(o.out() + " holds an unfinished pretraining (" + CHECKPOINT + "); pass --resume "
                    + "to continue it, or choose another --out");
        }
        Map<String, String> saved = TrainingCheckpoint.load(checkpoint, adam);
        for (Map.Entry<String, String> e : o.recipe().entrySet()) {
            if (!e.getValue().equals(saved.get(e.getKey()))) {
                throw new PerceptException("--resume continues with the checkpoint's settings, but " + e.getKey() + " was "
                        + saved.get(e.getKey()) + " and is now " + e.getValue() + " (" + checkpoint + ")");
            }
        }
        return Integer.parseInt(saved.get("step"));
    }

    private static void deleteCheckpoint(Path checkpoint) {
        try {
            Files.deleteIfExists(checkpoint);
        } catch (IOException e) {
            throw new PerceptException("cannot remove " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** Linear warm-up, then cosine decay to zero. */
    private static double learningRate(Options o, int step) {
        if (step < WARMUP_STEPS) {
            return o.lr() * (step + 1) / WARMUP_STEPS;
        }
        double t = (step - WARMUP_STEPS) / (double) Math.max(1, o.steps() - WARMUP_STEPS);
        return o.lr() * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    private static double step(Backbone model, LinearClassifier head, List<RgbImage> images, List<List<Integer>> byClass,
            Preprocessing prep, Options o, SplittableRandom random) {
        int n = byClass.size() * o.perClass();
        int size = 3 * prep.height() * prep.width();
        float[] pixels = new float[n * size];
        int[] labels = new int[n];
        int slot = 0;
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> own = byClass.get(c);
            for (int k = 0; k < o.perClass(); k++) {
                RgbImage view = Augment.view(images.get(own.get(random.nextInt(own.size()))), random);
                prep.toChw(view, pixels, slot * size);
                labels[slot++] = c;
            }
        }
        return head.backward(new Ensemble(List.of(new Member(model, prep, FeatureMode.CLS_NORMED))).forward(Map.of(prep, pixels), n, false),
                labels);
    }

    /** Whether each validation image's {@link #VAL_K} nearest training images (cosine, cls) mostly share its category. */
    private static Metric knnAccuracy(Backbone model, Preprocessing prep, List<RgbImage> train, int[] trainLabels,
            LabeledImages val) {
        float[] keys = embed(model, prep, train);
        float[] queries = embed(model, prep, decode(val.images(), "decode val"));
        int dim = keys.length / train.size();
        int k = Math.min(VAL_K, train.size());
        CosineTopK.Neighbours top = CosineTopK.search(queries, keys, dim, k);
        int classes = 1 + Arrays.stream(trainLabels).max().orElse(0);
        int[] predicted = KnnVote.counted(KnnVote.Ties.LOWEST_CLASS).classify(top, trainLabels, classes);
        return ClassificationMetrics.accuracy(predicted, val.labels());
    }

    private static float[] embed(Backbone model, Preprocessing prep, List<RgbImage> images) {
        int size = 3 * prep.height() * prep.width();
        int dim = model.config().hidden();
        float[] out = new float[images.size() * dim];
        Ensemble cls = new Ensemble(List.of(new Member(model, prep, FeatureMode.CLS)));
        int batch = 64;
        for (int start = 0; start < images.size(); start += batch) {
            int n = Math.min(batch, images.size() - start);
            float[] pixels = new float[n * size];
            for (int i = 0; i < n; i++) {
                prep.toChw(images.get(start + i), pixels, i * size);
            }
            float[] rows = cls.embed(Map.of(prep, pixels), n, FeatureNorm.NONE);
            System.arraycopy(rows, 0, out, start * dim, rows.length);
        }
        return out;
    }

    private static List<List<Integer>> indicesByClass(LabeledImages set) {
        List<List<Integer>> out = new ArrayList<>();
        for (int c = 0; c < set.classes().size(); c++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            out.get(set.labels()[i]).add(i);
        }
        return out;
    }

    private static List<RgbImage> decode(List<Path> files, String label) {
        Progress progress = Progress.onStderr(label, "img", files.size());
        List<RgbImage> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(ImageDecoder.decode(f));
            progress.advance(1);
        }
        return out;
    }
}
