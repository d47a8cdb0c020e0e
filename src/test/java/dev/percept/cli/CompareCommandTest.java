package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.data.downstream.DatasetFixtures;
import dev.percept.eval.TinyAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept compare`: the table and compare.json exactly in the schema the HTML report reads. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void compareJsonHasTheDocumentedSchema() throws IOException {
        Path clevr = dir.resolve("clevr");
        DatasetFixtures.clevr(clevr, "train", IntStream.range(0, 20).map(i -> i % 6).boxed().toList());
        DatasetFixtures.clevr(clevr, "val", IntStream.range(0, 8).map(i -> i % 6).boxed().toList());
        Path df2 = dir.resolve("df2");
        DatasetFixtures.deepFashion2(df2, "validation", 10);
        Path folders = dir.resolve("folders");
        DatasetFixtures.folders(folders, "train", 3, 4);
        DatasetFixtures.folders(folders, "test", 3, 3);
        Path adapter = TinyAdapter.write(dir.resolve("lora"), 0.3f);
        Path json = dir.resolve("compare.json");
        Cli r = Cli.run("compare", "--model", "base=" + EmbedCommandTest.DINO, "--model", "aligned=" + EmbedCommandTest.DINO,
                "--model", "same=" + EmbedCommandTest.DINO, "--adapter", "aligned=" + adapter, "--suite", "counting=" + clevr + ",retrieval=" + df2, "--suite", "knn=" + folders, "--k", "3",
                "--precision", "fp32", "--image-size", "32", "--feature-cache", dir.resolve("cache").toString(), "--out", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("minus base") && r.out().contains("counting mae"), r.out());
        r.out().lines().forEach(line -> assertTrue(line.length() <= 100, "wider than 100 columns: " + line));

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(List.of("models", "tasks", "galleries"), keys(root));
        JsonNode models = root.get("models");
        assertEquals(List.of("name", "model", "adapter", "head"), keys(models.get(0)));
        assertTrue(models.get(0).get("head").isNull());
        assertEquals("base", models.get(0).get("name").asText());
        assertEquals(EmbedCommandTest.DINO, models.get(0).get("model").asText());
        assertTrue(models.get(0).get("adapter").isNull());
        assertEquals(adapter.toString(), models.get(1).get("adapter").asText());

        JsonNode tasks = root.get("tasks");
        List<String> columns = new ArrayList<>();
        tasks.forEach(t -> columns.add(t.get("task").asText() + "/" + t.get("metric").asText()));
        assertEquals(List.of("counting/mae", "counting/rmse", "retrieval/recall@1", "retrieval/recall@3", "retrieval/recall@5",
                "knn/accuracy"), columns);
        for (JsonNode t : tasks) {
            assertEquals(List.of("task", "dataset", "metric", "higher_is_better", "values", "best", "differences"), keys(t));
            assertEquals(List.of("base", "aligned", "same"), keys(t.get("values")));
            assertEquals(List.of("value", "ci_low", "ci_high"), keys(t.get("values").get("base")));
            String best = t.get("best").asText();
            double bestValue = t.get("values").get(best).get("value").asDouble();
            boolean higher = t.get("higher_is_better").asBoolean();
            t.get("values").forEach(v -> assertTrue(higher ? v.get("value").asDouble() <= bestValue : v.get("value").asDouble() >= bestValue));
            JsonNode d = t.get("differences").get(0);
            assertEquals(List.of("a", "b", "diff", "ci_low", "ci_high", "p", "significant"), keys(d));
            assertEquals("aligned", d.get("a").asText());
            assertEquals("base", d.get("b").asText());
            assertEquals(t.get("values").get("aligned").get("value").asDouble() - t.get("values").get("base").get("value").asDouble(),
                    d.get("diff").asDouble(), 1e-9);
            // p = min(1, 2 (m + 1) / 1001), m the resamples on the rarer side of 0: on that grid
            double p = d.get("p").asDouble();
            double m = p * 1001 / 2 - 1;
            assertTrue(p == 1 || (Math.abs(m - Math.round(m)) < 1e-9 && m >= 0 && m <= 499), "p " + p);
            assertEquals(p < 0.05, d.get("significant").asBoolean());
            // The same model again: every resampled difference is 0, so the interval is [0, 0] and p exactly 1.
            JsonNode same = t.get("differences").get(1);
            assertEquals("same", same.get("a").asText());
            assertEquals(0, same.get("diff").asDouble());
            assertEquals(0, same.get("ci_low").asDouble());
            assertEquals(0, same.get("ci_high").asDouble());
            assertEquals(1.0, same.get("p").asDouble());
            assertFalse(same.get("significant").asBoolean());
        }
        assertEquals(clevr.toString(), tasks.get(0).get("dataset").asText());

        JsonNode galleries = root.get("galleries");
        assertEquals(2, galleries.size());
        JsonNode g = galleries.get(0);
        assertEquals(List.of("task", "dataset", "k", "queries"), keys(g));
        assertEquals("retrieval", g.get("task").asText());
        assertEquals(5, g.get("k").asInt());
        assertEquals(8, g.get("queries").size());
        JsonNode q = g.get("queries").get(0);
        assertEquals(List.of("query", "label", "results"), keys(q));
        assertTrue(Path.of(q.get("query").asText()).isAbsolute());
        assertEquals(List.of("base", "aligned", "same"), keys(q.get("results")));
        JsonNode hit = q.get("results").get("aligned").get(0);
        assertEquals(List.of("path", "label", "distance", "correct"), keys(hit));
        assertTrue(Path.of(hit.get("path").asText()).isAbsolute());
        assertEquals(hit.get("label").asText().equals(q.get("label").asText()), hit.get("correct").asBoolean());
        assertEquals(5, q.get("results").get("base").size());

        JsonNode knn = galleries.get(1); // class names as labels, the k nearest training images
        assertEquals("knn", knn.get("task").asText());
        assertEquals(3, knn.get("k").asInt());
        assertEquals(8, knn.get("queries").size());
        for (JsonNode query : knn.get("queries")) {
            assertTrue(query.get("label").asText().startsWith("class_"));
            for (JsonNode n : query.get("results").get("base")) {
                assertEquals(n.get("label").asText().equals(query.get("label").asText()), n.get("correct").asBoolean());
            }
        }
    }

    @Test
    void anAdapterForAnUnknownNameIsRefused() {
        Cli r = Cli.run("compare", "--model", "base=" + EmbedCommandTest.DINO, "--adapter", "typo=x", "--suite", "counting=" + dir);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("typo"), r.err());
    }

    @Test
    void resultFilesOfAnyEvaluationAreTabulated() throws IOException {
        Path base = dir.resolve("2afc-base.json");
        Files.writeString(base, """
                {"task": "2afc", "dataset": "nights", "model": "dino", "adapter": null, "head": null, "features": "default",
                 "metrics": {"2afc": {"value": 0.61, "ci_low": 0.58, "ci_high": 0.64, "higher_is_better": true, "n": 100}}}""");
        Path aligned = dir.resolve("2afc-aligned.json");
        Files.writeString(aligned, """
                {"task": "2afc", "dataset": "nights", "model": "dino", "adapter": "runs/a/adapter",
                 "metrics": {"2afc": {"value": 0.72, "ci_low": 0.69, "ci_high": 0.75, "higher_is_better": true}}}""");
        Path before = dir.resolve("2afc-old.json"); // the schema `eval 2afc --out` wrote before it had the common one
        Files.writeString(before, """
                {"model": "clip", "data": "nights", "split": "test", "subsets": {"imagenet": {"n": 50, "score": 0.7,
                 "ci_low": 0.6, "ci_high": 0.8}}, "all": {"n": 50, "score": 0.7, "ci_low": 0.6, "ci_high": 0.8}}""");
        Cli r = Cli.run("compare", "--in", base.toString(), "--in", aligned.toString(), "--in", before.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("2afc on nights", lines.get(0));
        assertTrue(lines.get(1).matches("metric +dino +dino \\+ runs/a/adapter +clip"), lines.get(1));
        assertTrue(lines.get(2).matches("2afc \\^ +0\\.6100 +0\\.7200\\* +0\\.7000"), lines.get(2));
        lines.forEach(line -> assertTrue(line.length() <= 100, line));
    }
}
