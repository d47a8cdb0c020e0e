package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.data.LabeledImages;
import dev.percept.tensor.CosineTopK;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Retrieval-augmented classification: for each query image, its k nearest support images (cosine
 * similarity of their features) become labelled in-context examples for a classifier (a
 * vision-language model, or a vote over the examples' labels), which then names the query's class.
 *
 * <p>Run once per seed {@code seed, seed + 1, ...}. A seed draws (1) with {@code shots > 0}, that
 * many support images per class (all of a class that has fewer), else the whole support set;
 * (2) with {@code queries > 0}, that many query images, else all of them; (3) the order in which
 * the k examples are shown (shuffled; the vote does not depend on it). The accuracy is reported
 * as the mean over seeds with a 95% t-interval ({@link SeedInterval}).
 */
public final class RetrievalAugmented {
    private RetrievalAugmented() {}

    /** A labelled example: a support image and its cosine similarity to the query. */
    public record Example(Path image, String label, double similarity) {}

    /** What the classifier sees for one query: its examples in presentation order, and the class names. */
    public record Episode(Path query, List<Example> examples, List<String> classes) {}

    /** The class index the classifier chose, or -1 when its answer names no class; and its raw answer. */
    public record Answer(int label, String text) {}

    /** Names the query's class from its examples. */
    public interface Classifier {
        Answer classify(Episode episode);
    }

    /** {@code workers}: queries classified at once (concurrent requests to a VLM). */
    public record Settings(int k, int seeds, long seed, int queries, int shots, int workers) {
        public Settings {
            if (workers <= 0) {
                throw new PerceptException("--vlm-concurrency must be positive, got " + workers);
            }
            if (k <= 0) {
                throw new PerceptException("--k must be positive, got " + k);
            }
            if (seeds < 2 || seeds > SeedInterval.MAX_SEEDS) {
                throw new PerceptException("--seeds must be 2.." + SeedInterval.MAX_SEEDS + ", got " + seeds);
            }
            if (queries < 0 || shots < 0) {
                throw new PerceptException("--queries and --shots must be 0 (all) or positive");
            }
        }
    }

    public record SeedResult(long seed, int queries, int support, int correct, int unparsed) {
        public double accuracy() {
            return (double) correct / queries;
        }
    }

    /** How many unparsed answers a result quotes. */
    static final int UNPARSED_SHOWN = 5;

    /** The per-seed results, the accuracy over seeds, and the first few unparsed answers ("query: answer"). */
    public record Result(List<SeedResult> seeds, Bootstrap.Interval accuracy, int unparsed, List<String> unparsedAnswers) {
        /**
         * As every evaluation reports: task {@code rag}, metric {@code accuracy} with the seeds'
         * t-interval, {@code per_seed}, and rag's own top-level keys {@code classifier}, {@code k},
         * {@code unparsed} and {@code unparsed_answers}.
         */
        public EvalResult report(Path data, EvalResult.EvaluatedModel model, String classifier, String setting, int k) {
            List<Map<String, Object>> perSeed = new ArrayList<>();
            for (SeedResult s : seeds) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("seed", s.seed());
                m.put("queries", s.queries());
                m.put("support", s.support());
                m.put("correct", s.correct());
                m.put("accuracy", s.accuracy());
                m.put("unparsed", s.unparsed());
                perSeed.add(m);
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("classifier", classifier);
            extra.put("k", k);
            extra.put("unparsed", unparsed);
            extra.put("unparsed_answers", unparsedAnswers);
            return new EvalResult(NAME, data.toString(), null, model, setting,
                    List.of(EvalResult.Score.of("accuracy", true, accuracy)), Map.of("seeds", seeds.size()), perSeed, extra);
        }
    }

    public static final String NAME = "rag";

    /**
     * Runs every seed. {@code supportFeatures} and {@code queryFeatures} hold one row of {@code dim}
     * floats per image, in the images' order; both sets are labelled over the same class list.
     */
    public static Result run(LabeledImages support, float[] supportFeatures, LabeledImages queries, float[] queryFeatures,
            int dim, Settings settings, Classifier classifier, Progress progress) {
        if (!support.classes().equals(queries.classes())) {
            throw new IllegalArgumentException("support and queries must share one class list");
        }
        List<SeedResult> seeds = new ArrayList<>();
        List<String> unparsedAnswers = new ArrayList<>();
        for (int s = 0; s < settings.seeds(); s++) {
            long seed = settings.seed() + s;
            Random random = new Random(seed);
            int[] supportRows = shots(support, settings.shots(), random);
            int[] queryRows = sample(queries.size(), settings.queries(), random);
            if (settings.k() > supportRows.length) {
                throw new PerceptException("--k " + settings.k() + " exceeds the " + supportRows.length + " support images of "
                        + support.dir());
            }
            CosineTopK.Neighbours top = CosineTopK.search(rows(queryFeatures, queryRows, dim), rows(supportFeatures, supportRows, dim),
                    dim, settings.k());
            List<Episode> episodes = new ArrayList<>();
            for (int q = 0; q < queryRows.length; q++) {
                List<Example> examples = new ArrayList<>();
                for (int j = 0; j < settings.k(); j++) {
                    int row = supportRows[top.index(q, j)];
                    examples.add(new Example(support.images().get(row), support.classes().get(support.labels()[row]),
                            top.similarity(q, j)));
                }
                Collections.shuffle(examples, random);
                episodes.add(new Episode(queries.images().get(queryRows[q]), List.copyOf(examples), support.classes()));
            }
            List<Answer> answers = classifyAll(episodes, classifier, settings.workers(), progress);
            int correct = 0;
            int unparsed = 0;
            for (int q = 0; q < queryRows.length; q++) {
                Answer answer = answers.get(q);
                if (answer.label() < 0) {
                    unparsed++;
                    if (unparsedAnswers.size() < UNPARSED_SHOWN) {
                        unparsedAnswers.add(episodes.get(q).query() + ": " + answer.text());
                    }
                } else if (answer.label() == queries.labels()[queryRows[q]]) {
                    correct++;
                }
            }
            seeds.add(new SeedResult(seed, queryRows.length, supportRows.length, correct, unparsed));
        }
        Bootstrap.Interval accuracy = SeedInterval.of(seeds.stream().mapToDouble(SeedResult::accuracy).toArray());
        return new Result(List.copyOf(seeds), accuracy, seeds.stream().mapToInt(SeedResult::unparsed).sum(),
                List.copyOf(unparsedAnswers));
    }

    /** Each episode's answer, in order, from {@code workers} threads; the first failure is rethrown as itself. */
    private static List<Answer> classifyAll(List<Episode> episodes, Classifier classifier, int workers, Progress progress) {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "percept-classify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (Episode e : episodes) {
                futures.add(pool.submit(() -> {
                    Answer a = classifier.classify(e);
                    progress.advance(1);
                    return a;
                }));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerceptException("interrupted while classifying", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Up to {@code shots} random rows per class (0: all rows), in ascending row order. */
    private static int[] shots(LabeledImages set, int shots, Random random) {
        if (shots == 0) {
            return IntStream.range(0, set.size()).toArray();
        }
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < set.classes().size(); c++) {
            int label = c;
            List<Integer> own = new ArrayList<>(IntStream.range(0, set.size()).filter(i -> set.labels()[i] == label).boxed().toList());
            Collections.shuffle(own, random);
            chosen.addAll(own.subList(0, Math.min(shots, own.size())));
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** {@code count} distinct random indices below {@code n} (0 or count >= n: all), ascending. */
    private static int[] sample(int n, int count, Random random) {
        if (count == 0 || count >= n) {
            return IntStream.range(0, n).toArray();
        }
        List<Integer> all = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(all, random);
        return all.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static float[] rows(float[] features, int[] rows, int dim) {
        float[] out = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * dim, out, i * dim, dim);
        }
        return out;
    }

    /** The vote used without a vision-language model: the most frequent label, ties to the nearest example. */
    public static Answer vote(Episode episode) {
        int k = episode.examples().size();
        int[] classes = new int[k];
        double[] similarities = new double[k];
        for (int j = 0; j < k; j++) {
            Example e = episode.examples().get(j);
            classes[j] = episode.classes().indexOf(e.label());
            similarities[j] = e.similarity();
        }
        int best = KnnVote.counted(KnnVote.Ties.NEAREST_NEIGHBOUR).vote(classes, similarities, 0, k, episode.classes().size());
        return new Answer(best, episode.classes().get(best));
    }
}
