package dev.percept.spark;

import dev.percept.PerceptException;
import dev.percept.image.ImageFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * Embeds a collection of images on a Spark cluster: Parquet with one row per image (path, model
 * identity, vector, error), each vector equal to {@code percept embed}'s for the same image.
 *
 * <p>The paths are listed and sorted on the driver's side of the plan and cut into the batches
 * {@code percept embed} would run (consecutive sorted paths, {@code --batch} at a time); every
 * batch goes whole to one task, which reads its images' bytes itself, so only paths are shuffled
 * and each batch's numerics are those of the single-process run.
 */
@Command(name = "EmbedJob", mixinStandardHelpOptions = true,
        description = "Embed images on Spark: Parquet rows of path, model, vector (array<float>) and error.")
public final class EmbedJob implements Callable<Integer> {
    /** The output's columns. {@code model} is the model identity JSON of {@code percept index}. */
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, true)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("error", DataTypes.StringType, true);

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "Model folder or known name, as for `percept embed`; readable on every executor.")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder(s), comma-separated.")
    String adapter;

    @Option(names = "--features", paramLabel = "MODE", description = "Feature mode, as for `percept embed` (default: the model's).")
    String features;

    @Option(names = "--normalize", paramLabel = "HOW", description = "none, l2 or dreamsim (default: as `percept embed`).")
    String normalize;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P", description = "auto, fp32 or bf16. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--image-size", defaultValue = "0", paramLabel = "PX", description = "Input side (default: the model's).")
    int imageSize;

    @Option(names = "--preprocess", defaultValue = "dreamsim", paramLabel = "HOW",
            description = "dreamsim or upstream. Default: ${DEFAULT-VALUE}.")
    String preprocess;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "libtorch threads per task (0: spark.task.cpus).")
    int threads;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Tasks to cut the batches into (0: four per core of the cluster, at most one per batch).")
    int partitions;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "A folder (searched recursively for images), a glob, or a .parquet file or folder with a path column.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Parquet output folder (must not exist).")
    String output;

    public static void main(String[] args) {
        Jobs.main(new EmbedJob(), args);
    }

    @Override
    public Integer call() {
        if (batch <= 0 || threads < 0 || partitions < 0) {
            throw new PerceptException("--batch must be positive and --threads, --partitions not negative");
        }
        SparkSession spark = SparkSession.builder().appName("percept embed").getOrCreate();
        ModelSpec spec = new ModelSpec(model, adapter == null ? List.of() : Arrays.stream(adapter.split(",")).map(String::strip).toList(),
                features, normalize, precision, imageSize, preprocess);
        spec.request(); // parse the options here, not on every executor
        JavaRDD<String> sorted = images(spark).sortBy(p -> p, true, Math.max(1, spark.sparkContext().defaultParallelism()));
        long count = sorted.count();
        if (count == 0) {
            throw new PerceptException("no images found in " + input);
        }
        long batches = (count + batch - 1) / batch;
        int tasks = (int) Math.min(batches, partitions > 0 ? partitions : 4L * spark.sparkContext().defaultParallelism());
        JavaPairRDD<Long, String> byIndex = sorted.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
        JavaRDD<Row> rows = byIndex.repartitionAndSortWithinPartitions(new BatchPartitioner(batch, batches, tasks))
                .mapPartitions(new EmbedPartition(spec, batch, threads));
        spark.createDataFrame(rows, SCHEMA).write().parquet(output);
        Dataset<Row> written = spark.read().parquet(output);
        long failed = written.filter("error is not null").count();
        System.err.printf("wrote %d rows to %s (%d with an error)%n", count, output, failed);
        return 0;
    }

    /** The image paths to embed, as executors read them: local files as plain absolute paths, others as URIs. */
    private JavaRDD<String> images(SparkSession spark) {
        if (input.endsWith(".parquet") || input.endsWith(".parquet/")) {
            Dataset<Row> table = EmbeddingTable.parquet(spark, input);
            if (!Arrays.asList(table.columns()).contains("path")) {
                throw new PerceptException(input + " has no path column (columns: " + String.join(", ", table.columns()) + ")");
            }
            return table.select("path").as(Encoders.STRING()).javaRDD().map(ImageBytes::name).distinct();
        }
        Dataset<Row> listed = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input).select("path");
        return listed.as(Encoders.STRING()).javaRDD().map(ImageBytes::name)
                .filter(p -> ImageFiles.isImage(Path.of(p))).distinct();
    }
}
