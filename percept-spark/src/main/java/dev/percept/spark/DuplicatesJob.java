package dev.percept.spark;

import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import dev.percept.model.FeatureNorm;
import dev.percept.search.Duplicates;
import dev.percept.search.SearchIndex;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * Near-duplicates over embeddings in Parquet: every pair of images closer than a distance, by an
 * exact similarity join in blocks (each pair of blocks in a task of its own; the distance is
 * {@code percept search}'s, 1 - cos of unit vectors in double precision), then the groups (the
 * connected components of those pairs) and the nearest-neighbour histogram, as
 * {@code percept duplicates} makes them from an index.
 *
 * <p>{@code percept duplicates} links each image to those of its 16 nearest (found by the index's
 * HNSW graph) under the distance; this job links every pair under it, so the groups are the same
 * when the graph finds the true neighbours and no image has more than 15 within the distance, and
 * otherwise this job's groups contain the CLI's.
 */
@Command(name = "DuplicatesJob", mixinStandardHelpOptions = true,
        description = "Every pair of images under a distance (Parquet), and near-duplicate groups (JSON), from Parquet embeddings.")
public final class DuplicatesJob implements Callable<Integer> {
    /** The pairs' columns: both paths (a before b in path order) and their distance. */
    public static final StructType PAIRS = new StructType()
            .add("a", DataTypes.StringType, false)
            .add("b", DataTypes.StringType, false)
            .add("distance", DataTypes.DoubleType, false);

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "EmbedJob's Parquet (vectors normalised: --normalize l2 or dreamsim).")
    String input;

    @Option(names = "--threshold", required = true, paramLabel = "D", description = "Link two images when their distance (1 - cos) is below D.")
    double threshold;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Parquet folder for the pairs (must not exist).")
    String output;

    @Option(names = "--groups", paramLabel = "FILE",
            description = "Also write the groups and the histogram as JSON to this local file (the shape of `percept duplicates --out`).")
    Path groups;

    @Option(names = "--block", defaultValue = "4096", paramLabel = "N", description = "Rows per block. Default: ${DEFAULT-VALUE}.")
    int block;

    public static void main(String[] args) {
        Jobs.main(new DuplicatesJob(), args);
    }

    @Override
    public Integer call() {
        if (!(threshold >= 0 && threshold <= 2) || block <= 0) {
            throw new PerceptException("--threshold must be a distance between 0 and 2 and --block positive; got "
                    + threshold + " and " + block);
        }
        SparkSession spark = SparkSession.builder().appName("percept duplicates").getOrCreate();
        Dataset<Row> table = EmbeddingTable.read(spark, input, List.of());
        if (EmbeddingTable.identity(table).norm() == FeatureNorm.NONE) {
            throw new PerceptException(input + " holds vectors embedded with --normalize none; the distance 1 - cos needs "
                    + "unit vectors: embed with --normalize l2 or dreamsim");
        }
        JavaRDD<Block<String>> blocks = Block.of(table.javaRDD()
                .map(r -> new Block.Labelled<>(r.<String>getAs("path"), EmbeddingTable.vector(r), r.<String>getAs("path"))), block).cache();
        double d = threshold;
        JavaRDD<BlockPair> joined = blocks.cartesian(blocks)
                .filter(p -> p._1().id() <= p._2().id())
                .map(p -> BlockPair.of(p._1(), p._2(), d))
                .cache();
        spark.createDataFrame(joined.flatMap((FlatMapFunction<BlockPair, Row>) p -> p.rows().iterator()), PAIRS).write().parquet(output);

        List<String> paths = new ArrayList<>();
        blocks.collect().stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).forEach(b -> paths.addAll(b.labels()));
        double[] nearest = new double[paths.size()];
        Arrays.fill(nearest, Double.NaN);
        joined.flatMapToPair(p -> p.nearest().iterator()).reduceByKey(Math::min).collect()
                .forEach(t -> nearest[t._1()] = t._2());
        List<int[]> links = joined.flatMap(p -> p.links().iterator()).collect();
        Duplicates result = Duplicates.of(threshold, paths, links, nearest);
        blocks.unpersist();
        joined.unpersist();
        System.out.printf(Locale.ROOT, "%d pairs under %.4f among %d images, %d groups; pairs in %s%n",
                links.size(), threshold, paths.size(), result.groups().size(), output);
        if (groups != null) {
            JsonFiles.write(groups, result.json(Duplicates.HISTOGRAM_BINS));
        }
        return 0;
    }

    /**
     * What one pair of blocks holds: the pairs under the distance (row numbers and distances) and,
     * for each row of either block, its nearest other row in the other block (or in its own).
     */
    record BlockPair(List<int[]> links, List<Double> distances, List<String[]> names, List<Tuple2<Integer, Double>> nearest)
            implements Serializable {
        static BlockPair of(Block<String> a, Block<String> b, double threshold) {
            List<int[]> links = new ArrayList<>();
            List<Double> distances = new ArrayList<>();
            List<String[]> names = new ArrayList<>();
            double[] nearestA = new double[a.count()];
            double[] nearestB = new double[b.count()];
            Arrays.fill(nearestA, Double.NaN);
            Arrays.fill(nearestB, Double.NaN);
            boolean self = a.id() == b.id();
            float[][] rowsA = a.rows();
            float[][] rowsB = b.rows();
            for (int i = 0; i < rowsA.length; i++) {
                for (int j = self ? i + 1 : 0; j < rowsB.length; j++) {
                    double distance = SearchIndex.distance(rowsA[i], rowsB[j]);
                    nearestA[i] = Double.isNaN(nearestA[i]) ? distance : Math.min(nearestA[i], distance);
                    nearestB[j] = Double.isNaN(nearestB[j]) ? distance : Math.min(nearestB[j], distance);
                    if (distance < threshold) {
                        links.add(new int[] {a.first() + i, b.first() + j});
                        distances.add(distance);
                        names.add(new String[] {a.labels().get(i), b.labels().get(j)});
                    }
                }
            }
            List<Tuple2<Integer, Double>> nearest = new ArrayList<>();
            add(nearest, a.first(), nearestA);
            add(nearest, b.first(), nearestB);
            return new BlockPair(links, distances, names, nearest);
        }

        private static void add(List<Tuple2<Integer, Double>> out, int first, double[] nearest) {
            for (int i = 0; i < nearest.length; i++) {
                if (!Double.isNaN(nearest[i])) {
                    out.add(new Tuple2<>(first + i, nearest[i]));
                }
            }
        }

        List<Row> rows() {
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < links.size(); i++) {
                out.add(RowFactory.create(names.get(i)[0], names.get(i)[1], distances.get(i)));
            }
            return out;
        }
    }
}
