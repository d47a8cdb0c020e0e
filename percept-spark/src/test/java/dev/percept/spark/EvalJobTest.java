package dev.percept.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.cli.Main;
import dev.percept.io.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EvalJob on EmbedJob's vectors against `percept eval knn` and `percept eval retrieval` on the same images. */
class EvalJobTest {
    private static final String[] COLOURS = {"amber", "blue", "cyan"};

    @TempDir
    Path dir;

    @Test
    void knnAccuracyAndIntervalEqualPerceptEvalKnn() throws IOException {
        Path data = dir.resolve("folders");
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < COLOURS.length; c++) {
                for (int i = 0; i < (split.equals("train") ? 8 : 5); i++) {
                    Fixtures.png(data.resolve(split).resolve(COLOURS[c]).resolve(split + i + ".png"), c * 1000 + i % 3, 32 + 8 * i);
                }
            }
        }
        Path cli = dir.resolve("cli.json");
        assertEquals(0, Main.commandLine().execute("eval", "knn", "--model", Fixtures.DINO.toString(), "--data", data.toString(),
                "--precision", "fp32", "--k", "5", "--feature-cache", dir.resolve("cache").toString(), "--out", cli.toString()));

        Path embedded = dir.resolve("embedded.parquet");
        assertEquals(0, EmbedJobTest.runJob("--model", Fixtures.DINO.toString(), "--precision", "fp32",
                "--input", data.toString(), "--output", embedded.toString()));
        Dataset<Row> table = LocalSpark.get().read().parquet(embedded.toString());
        Path labelled = dir.resolve("labelled.parquet");
        table.withColumn("split", functions.regexp_extract(table.col("path"), "/(train|test)/([^/]+)/[^/]+$", 1))
                .withColumn("label", functions.regexp_extract(table.col("path"), "/(train|test)/([^/]+)/[^/]+$", 2))
                .write().parquet(labelled.toString());
        Path spark = dir.resolve("spark.json");
        // Blocks smaller than the splits, so that candidates are merged across key blocks.
        assertEquals(0, Jobs.run(new EvalJob(), "--task", "knn", "--k", "5", "--input", labelled.toString(),
                "--query-block", "4", "--key-block", "7", "--output", spark.toString()));

        JsonNode expected = JsonFiles.mapper().readTree(cli.toFile());
        JsonNode actual = JsonFiles.mapper().readTree(spark.toFile());
        assertEquals(expected.get("metrics"), actual.get("metrics"));
        assertEquals(15, actual.get("n").asInt());
        double accuracy = actual.at("/metrics/accuracy/value").asDouble();
        assertTrue(accuracy > 0 && accuracy < 1, "a test that can tell votes apart: accuracy " + accuracy);
        for (String key : new String[] {"k", "temperature", "train", "test", "classes"}) {
            assertEquals(expected.get("details").get(key), actual.get("details").get(key), key);
        }
    }

    @Test
    void retrievalRecallEqualsPerceptEvalRetrieval() throws IOException {
        Path data = dir.resolve("deepfashion2");
        Path split = data.resolve("validation");
        Files.createDirectories(split.resolve("annos"));
        for (int i = 0; i < 24; i++) {
            String id = String.format("%06d", i + 1);
            // Images 2m (shop) and 2m + 1 (user) show item m % 6 (pair_id:style); the user's photo is the shop's, nudged.
            boolean shop = i % 2 == 0;
            int pair = i / 2 % 3;
            int style = 1 + i / 6 % 2;
            Fixtures.png(split.resolve("image").resolve(id + ".jpg"), 100 + i / 2, 40, shop ? 0 : 0x302010 * (i % 5));
            Files.writeString(split.resolve("annos").resolve(id + ".json"), String.format(
                    "{\"source\": \"%s\", \"pair_id\": %d, \"item1\": {\"style\": %d}}", shop ? "shop" : "user", pair, style));
        }
        Path cli = dir.resolve("cli.json");
        assertEquals(0, Main.commandLine().execute("eval", "retrieval", "--model", Fixtures.DINO.toString(), "--data", data.toString(),
                "--precision", "fp32", "--feature-cache", dir.resolve("cache").toString(), "--out", cli.toString()));

        Path embedded = dir.resolve("embedded.parquet");
        assertEquals(0, EmbedJobTest.runJob("--model", Fixtures.DINO.toString(), "--precision", "fp32",
                "--input", split.resolve("image").toString(), "--output", embedded.toString()));
        // The annotations as columns: user images are queries, shop images the gallery; an item is pair_id:style.
        Dataset<Row> table = LocalSpark.get().read().parquet(embedded.toString());
        Dataset<Row> annos = LocalSpark.get().read().option("multiLine", "true").json(split.resolve("annos").toString())
                .withColumn("id", functions.regexp_extract(functions.input_file_name(), "([0-9]+)\\.json$", 1))
                .select(functions.col("id"),
                        functions.when(functions.col("source").equalTo("shop"), "gallery").otherwise("query").alias("split"),
                        functions.array(functions.concat_ws(":", functions.col("pair_id"), functions.col("item1.style"))).alias("items"));
        Path labelled = dir.resolve("labelled.parquet");
        table.withColumn("id", functions.regexp_extract(table.col("path"), "([0-9]+)\\.jpg$", 1)).join(annos, "id")
                .write().parquet(labelled.toString());
        Path spark = dir.resolve("spark.json");
        assertEquals(0, Jobs.run(new EvalJob(), "--task", "retrieval", "--input", labelled.toString(),
                "--query-block", "5", "--key-block", "4", "--output", spark.toString()));

        JsonNode expected = JsonFiles.mapper().readTree(cli.toFile());
        JsonNode actual = JsonFiles.mapper().readTree(spark.toFile());
        assertEquals(expected.get("metrics"), actual.get("metrics"));
        assertEquals(12, actual.get("n").asInt());
        double r1 = actual.at("/metrics/recall@1/value").asDouble();
        double r5 = actual.at("/metrics/recall@5/value").asDouble();
        assertTrue(r5 > 0 && r1 <= r5, "queries find their items: recall@1 " + r1 + ", recall@5 " + r5);
    }

    @Test
    void missingColumnsAndSplitsAreOneLineErrors() throws IOException {
        Path images = dir.resolve("images");
        Fixtures.png(images.resolve("a.png"), 1, 32);
        Path embedded = dir.resolve("embedded.parquet");
        assertEquals(0, EmbedJobTest.runJob("--model", Fixtures.DINO.toString(), "--input", images.toString(), "--output", embedded.toString()));
        assertEquals(2, Jobs.run(new EvalJob(), "--task", "knn", "--input", embedded.toString()));
        assertEquals(2, Jobs.run(new EvalJob(), "--task", "linear", "--input", embedded.toString()));
    }
}
