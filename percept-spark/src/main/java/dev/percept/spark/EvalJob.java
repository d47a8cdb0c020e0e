package dev.percept.spark;

import dev.percept.PerceptException;
import dev.percept.eval.ClassificationMetrics;
import dev.percept.eval.EvalResult;
import dev.percept.eval.KnnClassifier;
import dev.percept.eval.KnnTask;
import dev.percept.eval.KnnVote;
import dev.percept.eval.RetrievalMetrics;
import dev.percept.eval.RetrievalTask;
import dev.percept.eval.TaskResult;
import dev.percept.tensor.Engine;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * kNN classification and instance retrieval over embeddings in Parquet, by exact cosine search in
 * blocks: every block of queries meets every block of keys in its own task (the core's
 * {@code CosineTopK} on the pair), the per-block best are merged per query, and the metrics are
 * those of {@code percept eval knn} and {@code percept eval retrieval}, with the same bootstrap
 * intervals and JSON.
 *
 * <p>Input: EmbedJob's columns (path, model, vector) plus {@code split} and, for knn, {@code label}
 * (train and test rows), for retrieval {@code items} (array of strings; query and gallery rows;
 * a query is right when a gallery image shares one of its items). Rows are numbered in path order
 * within their split, as the core numbers a dataset's images.
 */
@Command(name = "EvalJob", mixinStandardHelpOptions = true,
        description = "kNN accuracy or retrieval recall@1,3,5 over Parquet embeddings, by blocked exact search.")
public final class EvalJob implements Callable<Integer> {
    @Option(names = "--task", required = true, paramLabel = "TASK", description = "knn or retrieval.")
    String task;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Parquet: path, vector, split, and label (knn) or items (retrieval).")
    String input;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the result JSON (percept's eval schema) to this local file.")
    Path output;

    @Option(names = "--k", defaultValue = "" + KnnClassifier.DEFAULT_K, paramLabel = "K", description = "knn: neighbours that vote. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--temperature", defaultValue = "" + KnnClassifier.DEFAULT_TEMPERATURE, paramLabel = "T",
            description = "knn: T in the vote weight exp(cos / T). Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "S", description = "Bootstrap seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--query-block", defaultValue = "1024", paramLabel = "N", description = "Query rows per block. Default: ${DEFAULT-VALUE}.")
    int queryBlock;

    @Option(names = "--key-block", defaultValue = "8192", paramLabel = "N", description = "Key rows per block. Default: ${DEFAULT-VALUE}.")
    int keyBlock;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "libtorch threads per task. Default: ${DEFAULT-VALUE}.")
    int threads;

    public static void main(String[] args) {
        Jobs.main(new EvalJob(), args);
    }

    @Override
    public Integer call() {
        if (k <= 0 || !(temperature > 0) || queryBlock <= 0 || keyBlock <= 0 || threads <= 0) {
            throw new PerceptException("--k, --temperature, --query-block, --key-block and --threads must be positive");
        }
        SparkSession spark = SparkSession.builder().appName("percept eval " + task).getOrCreate();
        Dataset<Row> table = EmbeddingTable.read(spark, input, switch (task) {
            case KnnTask.NAME -> List.of("split", "label");
            case RetrievalTask.NAME -> List.of("split", "items");
            default -> throw new PerceptException("--task must be knn or retrieval, not " + task);
        });
        TaskResult r = task.equals(KnnTask.NAME) ? knn(table) : retrieval(table);
        EvalResult result = EvalResult.of(r, EvalResult.EvaluatedModel.of(EmbeddingTable.identity(table).request()), seed);
        System.out.print(result.table());
        if (output != null) {
            result.write(output);
        }
        return 0;
    }

    private TaskResult knn(Dataset<Row> table) {
        List<String> classes = List.copyOf(new TreeSet<>(table.select("label").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
        JavaRDD<Block.Labelled<Integer>> train = labelled(table, "train", classes);
        JavaRDD<Block.Labelled<Integer>> test = labelled(table, "test", classes);
        int keys = (int) train.count();
        Candidates.Tagger<Integer, Integer> keyClass = (qs, q, ks, key) -> ks.labels().get(key);
        int kk = k;
        double t = temperature;
        int classCount = classes.size();
        // Per query: the class the weighted vote of its neighbours names, and its own.
        double[][] votes = rows(test, train, keyClass, (queries, c) -> {
            KnnVote vote = KnnVote.weighted(t);
            double[] sims = new double[c.similarities().length];
            Arrays.setAll(sims, i -> c.similarities()[i]);
            double[][] out = new double[queries.count()][];
            for (int q = 0; q < out.length; q++) {
                out[q] = new double[] {vote.vote(c.tags(), sims, q * c.k(), c.k(), classCount), queries.labels().get(q)};
            }
            return out;
        }, k);
        int[] predicted = Arrays.stream(votes).mapToInt(v -> (int) v[0]).toArray();
        int[] truth = Arrays.stream(votes).mapToInt(v -> (int) v[1]).toArray();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("k", kk);
        details.put("temperature", t);
        details.put("train", keys);
        details.put("test", truth.length);
        details.put("classes", classCount);
        return new TaskResult(KnnTask.NAME, Path.of(input), EmbeddingTable.LAYOUT, List.of(ClassificationMetrics.accuracy(predicted, truth)),
                details, null);
    }

    private TaskResult retrieval(Dataset<Row> table) {
        JavaRDD<Block.Labelled<ItemSet>> gallery = itemised(table, "gallery");
        JavaRDD<Block.Labelled<ItemSet>> queries = itemised(table, "query");
        int maxK = RetrievalMetrics.KS[RetrievalMetrics.KS.length - 1];
        Candidates.Tagger<ItemSet, ItemSet> hit = (qs, q, ks, key) ->
                Collections.disjoint(qs.labels().get(q).items(), ks.labels().get(key).items()) ? 0 : 1;
        // Per query: the rank of its first neighbour sharing an item.
        double[][] ranks = rows(queries, gallery, hit, (block, c) -> {
            double[][] out = new double[block.count()][];
            for (int q = 0; q < out.length; q++) {
                out[q] = new double[] {Integer.MAX_VALUE};
                for (int j = 0; j < c.k(); j++) {
                    if (c.tags()[q * c.k() + j] == 1) {
                        out[q][0] = j;
                        break;
                    }
                }
            }
            return out;
        }, maxK);
        int[] first = Arrays.stream(ranks).mapToInt(r -> (int) r[0]).toArray();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queries", first.length);
        details.put("gallery", gallery.count());
        return new TaskResult(RetrievalTask.NAME, Path.of(input), EmbeddingTable.LAYOUT, RetrievalMetrics.fromFirstHits(first), details, null);
    }

    /** What one query block yields per query (one row each), from its merged candidates. */
    @FunctionalInterface
    interface PerQuery<Q extends Serializable> extends Serializable {
        double[][] apply(Block<Q> queries, Candidates candidates);
    }

    /**
     * One row per query, in query order: what {@code perQuery} makes of its {@code limit} nearest
     * keys. Every query block meets every key block in a task of its own.
     */
    private <Q extends Serializable, K extends Serializable> double[][] rows(JavaRDD<Block.Labelled<Q>> queries,
            JavaRDD<Block.Labelled<K>> keys, Candidates.Tagger<Q, K> tagger, PerQuery<Q> perQuery, int limit) {
        int n = threads;
        JavaPairRDD<Integer, Block<Q>> queryBlocks = Block.of(queries, queryBlock).mapToPair(b -> new Tuple2<>(b.id(), b)).cache();
        JavaRDD<Block<K>> keyBlocks = Block.of(keys, keyBlock);
        JavaPairRDD<Integer, Candidates> best = queryBlocks.values().cartesian(keyBlocks)
                .mapToPair(pair -> {
                    Engine.start(n);
                    return new Tuple2<>(pair._1().id(), Candidates.search(pair._1(), pair._2(), limit, tagger));
                })
                .reduceByKey((a, b) -> a.merge(b, limit));
        List<Tuple2<Integer, double[][]>> blocks = new ArrayList<>(queryBlocks.join(best)
                .mapToPair(t -> new Tuple2<>(t._1(), perQuery.apply(t._2()._1(), t._2()._2())))
                .collect());
        queryBlocks.unpersist();
        blocks.sort((a, b) -> Integer.compare(a._1(), b._1()));
        return blocks.stream().flatMap(t -> Arrays.stream(t._2())).toArray(double[][]::new);
    }

    private JavaRDD<Block.Labelled<Integer>> labelled(Dataset<Row> table, String split, List<String> classes) {
        return EmbeddingTable.split(table, split, input).map(r -> new Block.Labelled<>(r.getAs("path"), EmbeddingTable.vector(r),
                Collections.binarySearch(classes, r.<String>getAs("label"))));
    }

    private JavaRDD<Block.Labelled<ItemSet>> itemised(Dataset<Row> table, String split) {
        return EmbeddingTable.split(table, split, input).map(r -> new Block.Labelled<>(r.getAs("path"), EmbeddingTable.vector(r),
                new ItemSet(new TreeSet<>(r.<String>getList(r.fieldIndex("items"))))));
    }

    /** A retrieval image's items. */
    record ItemSet(TreeSet<String> items) implements Serializable {}
}
