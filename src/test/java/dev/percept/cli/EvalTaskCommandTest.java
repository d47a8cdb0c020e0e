package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.data.downstream.DatasetFixtures;
import dev.percept.eval.TinyHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept eval <task>` end to end on tiny datasets in their public layouts and a tiny random-weight model. */
class EvalTaskCommandTest {
    @TempDir
    Path dir;

    private JsonNode run(String task, Path data, String... extra) throws IOException {
        Path json = dir.resolve(task + ".json");
        List<String> args = new ArrayList<>(List.of("eval", task, "--model", EmbedCommandTest.DINO, "--precision", "fp32",
                "--image-size", "32", "--data", data.toString(), "--feature-cache", dir.resolve("cache").toString(),
                "--out", json.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(task, root.get("task").asText());
        assertEquals(data.toString(), root.get("dataset").asText());
        assertEquals(EmbedCommandTest.DINO, root.get("model").asText());
        assertTrue(root.get("adapter").isNull());
        assertEquals(task.equals("segmentation") || task.equals("depth") ? "patch_tokens" : "default", root.get("features").asText());
        root.get("metrics").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            assertTrue(r.out().contains(e.getKey()), r.out());
            double v = m.get("value").asDouble();
            assertTrue(Double.isFinite(v) && m.get("ci_low").asDouble() <= v && v <= m.get("ci_high").asDouble(), e.getKey() + " " + m);
            assertTrue(m.get("higher_is_better").isBoolean());
        });
        return root;
    }

    private static List<String> metricNames(JsonNode root) {
        List<String> names = new ArrayList<>();
        root.get("metrics").fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void countingOnClevrWritesMaeAndRmse() throws IOException {
        Path data = dir.resolve("clevr");
        DatasetFixtures.clevr(data, "train", IntStream.range(0, 30).map(i -> i % 8).boxed().toList());
        DatasetFixtures.clevr(data, "val", IntStream.range(0, 10).map(i -> i % 8).boxed().toList());
        JsonNode root = run("counting", data);
        assertEquals(List.of("mae", "rmse"), metricNames(root));
        assertEquals(false, root.get("metrics").get("mae").get("higher_is_better").asBoolean());
        assertEquals(10, root.get("n").asInt());
        assertEquals("held out of train", root.get("details").get("validation").asText());
    }

    @Test
    void segmentationOnVocWritesMiouAndPixelAccuracy() throws IOException {
        Path data = dir.resolve("voc");
        DatasetFixtures.voc(data, "train", 8, 3, 1);
        DatasetFixtures.voc(data, "val", 4, 3, 2);
        DatasetFixtures.text(data.resolve("classes.txt"), "background", "square", "circle");
        JsonNode root = run("segmentation", data, "--dense-epochs", "3");
        assertEquals(List.of("miou", "pixel_accuracy"), metricNames(root));
        assertEquals(3, root.get("details").get("classes").asInt());
    }

    @Test
    void depthOnNyuWritesTheSixErrors() throws IOException {
        Path data = dir.resolve("nyu");
        DatasetFixtures.nyu(data, "train", 6, 1);
        DatasetFixtures.nyu(data, "test", 3, 2);
        JsonNode root = run("depth", data, "--dense-epochs", "3");
        assertEquals(List.of("rmse", "abs_rel", "log10", "delta1", "delta2", "delta3"), metricNames(root));
    }

    @Test
    void segmentationOnCocoStuffUsesThe171Classes() throws IOException {
        Path data = dir.resolve("cocostuff");
        DatasetFixtures.cocoStuff(data, "train2017", 8, 1);
        DatasetFixtures.cocoStuff(data, "val2017", 4, 2);
        JsonNode root = run("segmentation", data, "--dense-epochs", "3");
        assertEquals("cocostuff", root.get("layout").asText());
        assertEquals(171, root.get("details").get("classes").asInt());
        assertEquals(4, root.get("details").get("test").asInt());
    }

    @Test
    void segmentationOnDavisSeparatesObjectsFromBackground() throws IOException {
        Path data = dir.resolve("davis");
        DatasetFixtures.davis(data, "train", 3, 3, 1);
        DatasetFixtures.davis(data, "val", 2, 2, 2);
        JsonNode root = run("segmentation", data, "--dense-epochs", "3");
        assertEquals("davis", root.get("layout").asText());
        assertEquals(2, root.get("details").get("classes").asInt());
        assertEquals(4, root.get("details").get("test").asInt());
    }

    @Test
    void depthOnSunRgbdWritesTheSixErrors() throws IOException {
        Path data = dir.resolve("sunrgbd");
        DatasetFixtures.sunRgbd(data, "train", 6, 1);
        DatasetFixtures.sunRgbd(data, "val", 3, 2);
        JsonNode root = run("depth", data, "--dense-epochs", "3");
        assertEquals("sunrgbd", root.get("layout").asText());
        assertEquals(3, root.get("details").get("test").asInt());
    }

    @Test
    void depthTrainsOnNyuAndTestsOnLightFieldWithoutRetraining() throws IOException {
        Path nyu = dir.resolve("nyu");
        DatasetFixtures.nyu(nyu, "train", 6, 1);
        DatasetFixtures.nyu(nyu, "test", 2, 2);
        Path lightField = dir.resolve("4dlf");
        DatasetFixtures.lightField(lightField, "training", 2, 3);
        DatasetFixtures.lightField(lightField, "additional", 1, 4);
        JsonNode root = run("depth", lightField, "--train-data", nyu.toString(), "--dense-epochs", "3");
        assertEquals("lightfield", root.get("layout").asText());
        assertEquals(nyu.toString(), root.get("details").get("train_data").asText());
        assertEquals("nyu", root.get("details").get("train_layout").asText());
        assertEquals(6, root.get("details").get("train").asInt());
        assertEquals(3, root.get("details").get("test").asInt());

        Cli alone = Cli.run("eval", "depth", "--model", EmbedCommandTest.DINO, "--data", lightField.toString(),
                "--feature-cache", dir.resolve("cache").toString());
        assertEquals(2, alone.exitCode());
        assertTrue(alone.err().contains("lightfield") && alone.err().contains("--train-data"), alone.err());
        Path voc = dir.resolve("voc");
        DatasetFixtures.voc(voc, "train", 2, 3, 1);
        Cli wrongKind = Cli.run("eval", "depth", "--model", EmbedCommandTest.DINO, "--data", lightField.toString(),
                "--train-data", voc.toString(), "--feature-cache", dir.resolve("cache").toString());
        assertEquals(2, wrongKind.exitCode());
        assertTrue(wrongKind.err().contains(voc.toString()) && wrongKind.err().contains("voc folder"), wrongKind.err());
    }

    @Test
    void retrievalOnDeepFashion2WritesRecallAtK() throws IOException {
        Path data = dir.resolve("df2");
        DatasetFixtures.deepFashion2(data, "validation", 4);
        JsonNode root = run("retrieval", data);
        assertEquals(List.of("recall@1", "recall@3", "recall@5"), metricNames(root));
        assertEquals(1.0, root.get("metrics").get("recall@5").get("value").asDouble()); // 4 shop images: all within 5
    }

    @Test
    void knnAndLinearOnClassFoldersSeparateColours() throws IOException {
        Path data = dir.resolve("folders");
        DatasetFixtures.folders(data, "train", 3, 8);
        DatasetFixtures.folders(data, "test", 3, 4);
        JsonNode knn = run("knn", data, "--k", "5");
        assertEquals(List.of("accuracy"), metricNames(knn));
        assertTrue(knn.get("metrics").get("accuracy").get("value").asDouble() > 0.9, knn.toString());
        JsonNode linear = run("linear", data, "--lr", "1e-2", "--weight-decay", "0", "--max-epochs", "30");
        assertTrue(linear.get("metrics").get("accuracy").get("value").asDouble() > 0.9, linear.toString());
    }

    @Test
    void aTaskOnTheWrongKindOfDatasetIsAnErrorNamingBoth() {
        Path data = dir.resolve("folders");
        DatasetFixtures.folders(data, "train", 2, 2);
        DatasetFixtures.folders(data, "test", 2, 1);
        Cli r = Cli.run("eval", "depth", "--model", EmbedCommandTest.DINO, "--data", data.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("folders") && r.err().contains("eval depth"), r.err());
    }

    @Test
    void aMalformedDatasetFileStopsWithItsNameBeforeAnyModelLoads() throws IOException {
        Path data = dir.resolve("clevr");
        DatasetFixtures.clevr(data, "train", List.of(1, 2));
        DatasetFixtures.text(data.resolve("scenes/CLEVR_val_scenes.json"), "{\"scenes\": [{\"image_filename\": 3}]}");
        Cli r = Cli.run("eval", "counting", "--model", dir.resolve("no-such-model").toString(), "--data", data.toString(),
                "--feature-cache", dir.resolve("cache").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("CLEVR_val_scenes.json") && r.err().contains("scenes[0]"), r.err());
    }

    @Test
    void aHeadChangesTheResultAndIsRecorded() throws IOException {
        Path data = dir.resolve("clevr");
        DatasetFixtures.clevr(data, "train", IntStream.range(0, 30).map(i -> i % 8).boxed().toList());
        DatasetFixtures.clevr(data, "val", IntStream.range(0, 10).map(i -> i % 8).boxed().toList());
        JsonNode plain = run("counting", data);
        assertTrue(plain.get("head").isNull());
        Path head = TinyHead.write(dir.resolve("head"), 0.5f);
        JsonNode headed = run("counting", data, "--head", head.toString());
        assertEquals(head.toString(), headed.get("head").asText());
        assertNotEquals(plain.get("metrics").get("mae").get("value").asDouble(), headed.get("metrics").get("mae").get("value").asDouble());
        try (var files = Files.list(dir.resolve("cache"))) { // one extraction per (model, head) and image list
            assertEquals(6, files.filter(f -> f.toString().endsWith(".npy")).count()); // train (less the held-out fifth), val, test
        }
    }
}
