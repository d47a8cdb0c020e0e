package dev.percept.spark;

import dev.percept.PerceptException;
import dev.percept.search.ModelIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** EmbedJob's output (or any Parquet with its columns) as the evaluation and duplicate jobs read it. */
final class EmbeddingTable {
    /** The layout name results record for Parquet input. */
    static final String LAYOUT = "parquet";

    private EmbeddingTable() {}

    /** The table, checked for path, model and vector and the job's {@code extra} columns, and for rows without a vector. */
    static Dataset<Row> read(SparkSession spark, String input, List<String> extra) {
        Dataset<Row> table = parquet(spark, input);
        List<String> required = new ArrayList<>(List.of("path", "model", "vector"));
        required.addAll(extra);
        List<String> columns = Arrays.asList(table.columns());
        for (String c : required) {
            if (!columns.contains(c)) {
                throw new PerceptException(input + " has no " + c + " column (columns: " + String.join(", ", columns) + ")");
            }
        }
        List<Row> missing = table.filter("vector is null").select("path").limit(1).collectAsList();
        if (!missing.isEmpty()) {
            throw new PerceptException(input + ": row " + missing.get(0).getString(0)
                    + " has no vector (an image EmbedJob could not read); filter such rows out first");
        }
        List<String> models = table.select("model").distinct().limit(2).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        if (models.size() > 1) {
            List<String> diff = ModelIdentity.fromJson(models.get(0), Path.of(input)).differences(ModelIdentity.fromJson(models.get(1), Path.of(input)));
            if (!diff.isEmpty()) {
                throw new PerceptException(input + " mixes vectors of different models: " + String.join("; ", diff));
            }
        }
        return table;
    }

    /** A Parquet table, or a one-line error naming it (a missing path, say). */
    static Dataset<Row> parquet(SparkSession spark, String input) {
        try {
            return spark.read().parquet(input);
        } catch (RuntimeException e) {
            throw new PerceptException("cannot read Parquet " + input + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /** The model identity of the table's vectors. */
    static ModelIdentity identity(Dataset<Row> table) {
        return ModelIdentity.fromJson(table.select("model").first().getString(0), Path.of("parquet"));
    }

    /** The rows of one split; fails when it has none. */
    static JavaRDD<Row> split(Dataset<Row> table, String split, String input) {
        Dataset<Row> rows = table.filter(table.col("split").equalTo(split));
        if (rows.isEmpty()) {
            throw new PerceptException(input + " has no rows with split = '" + split + "'");
        }
        return rows.javaRDD();
    }

    static float[] vector(Row r) {
        List<Float> list = r.getList(r.fieldIndex("vector"));
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        return v;
    }
}
