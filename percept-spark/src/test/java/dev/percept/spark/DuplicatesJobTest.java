package dev.percept.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.cli.Main;
import dev.percept.io.JsonFiles;
import dev.percept.search.SearchIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuplicatesJob on EmbedJob's vectors against `percept index` + `percept duplicates` on the same images. */
class DuplicatesJobTest {
    @TempDir
    Path dir;

    @Test
    void pairsAndGroupsEqualPerceptDuplicates() throws IOException {
        Path images = dir.resolve("images");
        for (int i = 0; i < 14; i++) {
            // Seeds repeat: a-b-c are one picture with a nudged corner, d-e another; the rest differ.
            long seed = i < 3 ? 7 : i < 5 ? 8 : 100 + i;
            Fixtures.png(images.resolve("img" + (char) ('a' + i) + ".png"), seed, 48, i < 5 ? i * 0x030303 : 0);
        }
        double threshold = 0.02;
        Path index = dir.resolve("index");
        assertEquals(0, Main.commandLine().execute("index", "--model", Fixtures.DINO.toString(), "--precision", "fp32",
                "--out", index.toString(), images.toString()));
        Path cli = dir.resolve("cli.json");
        assertEquals(0, Main.commandLine().execute("duplicates", "--index", index.toString(), "--threshold", "" + threshold,
                "--out", cli.toString()));

        Path embedded = dir.resolve("embedded.parquet");
        assertEquals(0, EmbedJobTest.runJob("--model", Fixtures.DINO.toString(), "--precision", "fp32", "--normalize", "dreamsim",
                "--input", images.toString(), "--output", embedded.toString()));
        Path pairs = dir.resolve("pairs.parquet");
        Path spark = dir.resolve("spark.json");
        assertEquals(0, Jobs.run(new DuplicatesJob(), "--input", embedded.toString(), "--threshold", "" + threshold,
                "--block", "4", "--output", pairs.toString(), "--groups", spark.toString()));

        JsonNode expected = JsonFiles.mapper().readTree(cli.toFile());
        JsonNode actual = JsonFiles.mapper().readTree(spark.toFile());
        assertEquals(expected, actual);
        assertEquals(2, actual.get("groups").size(), actual.toString());

        // Every pair under the threshold, each once, at the distance percept's search computes.
        Map<String, Row> vectors = EmbedJobTest.rowsByPath(embedded);
        int under = 0;
        for (String a : vectors.keySet()) {
            for (String b : vectors.keySet()) {
                if (a.compareTo(b) < 0 && SearchIndex.distance(EmbeddingTable.vector(vectors.get(a)), EmbeddingTable.vector(vectors.get(b))) < threshold) {
                    under++;
                }
            }
        }
        var rows = LocalSpark.get().read().parquet(pairs.toString()).collectAsList();
        assertEquals(under, rows.size());
        assertTrue(under > 1 && under < 14 * 13 / 2, under + " pairs under the threshold");
        for (Row r : rows) {
            String a = r.getAs("a");
            String b = r.getAs("b");
            assertTrue(a.compareTo(b) < 0);
            assertEquals(SearchIndex.distance(EmbeddingTable.vector(vectors.get(a)), EmbeddingTable.vector(vectors.get(b))), (double) r.getAs("distance"));
        }
        assertTrue(Files.exists(index));
    }

    @Test
    void unnormalisedVectorsAreRefused() throws IOException {
        Path images = dir.resolve("images");
        Fixtures.png(images.resolve("a.png"), 1, 32);
        Path embedded = dir.resolve("embedded.parquet");
        assertEquals(0, EmbedJobTest.runJob("--model", Fixtures.DINO.toString(), "--input", images.toString(), "--output", embedded.toString()));
        assertEquals(2, Jobs.run(new DuplicatesJob(), "--input", embedded.toString(), "--threshold", "0.1", "--output", dir.resolve("p").toString()));
    }
}
