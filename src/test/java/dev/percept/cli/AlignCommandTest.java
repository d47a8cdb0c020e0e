package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.align.AlignFixtures;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept align` as a user runs it: it learns the judges' notion of similarity, and says so. */
class AlignCommandTest {
    @TempDir
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void triplets() throws IOException {
        AlignFixtures.colourTriplets(data, 320, 120, 7);
    }

    /** The align command on the colour triplets; {@code extra} options replace the defaults given here. */
    static List<String> align(Path out, String... extra) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--model", AlignFixtures.MODEL);
        options.put("--data", data.resolve("train.csv").toString());
        options.put("--out", out.toString());
        options.put("--epochs", "3");
        options.put("--batch", "16");
        options.put("--lr", "1e-3");
        options.put("--threads", "2");
        options.put("--precision", "fp32");
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < extra.length; i++) {
            if (i + 1 < extra.length && !extra[i + 1].startsWith("--")) {
                options.put(extra[i], extra[++i]);
            } else {
                flags.add(extra[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of("align"));
        options.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        args.addAll(flags);
        return args;
    }

    private static double score(String... adapter) throws IOException {
        List<String> args = new ArrayList<>(List.of("eval", "2afc", "--model", AlignFixtures.MODEL, "--precision", "fp32",
                "--data", data.resolve("test.csv").toString(), "--feature-cache", data.resolve("feature-cache").toString()));
        args.addAll(List.of(adapter));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        return Double.parseDouble(last.trim().split("\\s+")[2]);
    }

    @Test
    void alignmentRaisesHeldOutAgreementWellAboveTheBaseModel() throws IOException {
        Path run = dir.resolve("run");
        Cli r = Cli.run(align(run).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        double base = score();
        double aligned = score("--adapter", run.resolve("adapter").toString());
        assertTrue(base < 0.8, "base " + base);
        assertTrue(aligned > base + 0.15, "base " + base + ", aligned " + aligned);

        JsonNode result = new ObjectMapper().readTree(run.resolve("result.json").toFile());
        assertEquals(3, result.get("epochs").size());
        int best = result.get("best_epoch").asInt();
        double bestLoss = result.get("best_val_loss").asDouble();
        for (JsonNode e : result.get("epochs")) {
            assertTrue(e.get("val_loss").asDouble() >= bestLoss, "epoch " + e + " beats the kept one");
        }
        // The kept adapter is the best epoch's, byte for byte.
        assertArrayEquals(Files.readAllBytes(run.resolve("epochs/" + best + "/adapter/adapter_model.safetensors")),
                Files.readAllBytes(run.resolve("adapter/adapter_model.safetensors")));
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3 * 18 + 3, lines.size(), "a line per step (288 triplets / 16) and per epoch");
        // Each epoch's validation is a result in the schema of every evaluation, with the hinge loss beside the 2AFC score.
        JsonNode validation = new ObjectMapper().readTree(run.resolve("epochs/" + best + "/validation.json").toFile());
        assertEquals("2afc", validation.get("task").asText());
        assertEquals("validation", validation.get("setting").asText());
        assertEquals(run.resolve("epochs/" + best + "/adapter").toString(), validation.get("adapter").asText());
        assertEquals(bestLoss, validation.get("metrics").get("loss").get("value").asDouble(), 1e-12);
        JsonNode kept = result.get("epochs").get(best - 1);
        assertEquals(kept.get("val_2afc").asDouble(), validation.get("metrics").get("2afc").get("value").asDouble(), 1e-12);
        var table = dev.percept.report.ResultFiles.read(List.of(run.resolve("epochs/1/validation.json"),
                run.resolve("epochs/2/validation.json"), run.resolve("epochs/3/validation.json"))).tables().get(0);
        assertEquals(3, table.rows().size(), "one row per epoch's adapter");
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals(0.05, config.get("margin").asDouble());
        assertEquals(16, config.get("lora").get("r").asInt());
        assertEquals(0.5, config.get("beta1").asDouble());
    }

    @Test
    void theMlpHeadVariantTrainsAHeadThatEmbeddingCommandsApply() throws IOException {
        Path run = dir.resolve("run");
        Cli r = Cli.run(align(run, "--train", "mlp_head", "--epochs", "12", "--batch", "64").toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(run.resolve("head/head.safetensors")));
        assertFalse(Files.exists(run.resolve("adapter")));
        JsonNode head = new ObjectMapper().readTree(run.resolve("head/head_config.json").toFile());
        assertEquals(512, head.get("hidden").asInt());
        assertEquals("cls", head.get("features").asText());
        double base = score();
        double withHead = score("--head", run.resolve("head").toString());
        assertTrue(withHead > base + 0.08, "base " + base + ", with the head " + withHead);

        Cli wrongMode = Cli.run("eval", "2afc", "--model", AlignFixtures.MODEL, "--head", run.resolve("head").toString(),
                "--features", "cls_patch", "--data", data.resolve("test.csv").toString());
        assertEquals(2, wrongMode.exitCode());
        assertTrue(wrongMode.err().contains("trained on cls features"), wrongMode.err());
    }

    @Test
    void anEnsembleGetsOneAdapterPerMemberAndLoadsFromTheRunFolder() throws IOException {
        Path run = dir.resolve("run");
        String ensemble = AlignFixtures.MODEL + "," + AlignFixtures.MODEL;
        Cli r = Cli.run(align(run, "--model", ensemble, "--epochs", "1", "--max-triplets", "64").toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals(8.0, config.get("lora").get("alpha").asDouble(), "DreamSim's ensemble recipe");
        assertEquals(0.3, config.get("lora").get("dropout").asDouble());
        for (String member : List.of("0-tiny-vit", "1-tiny-vit")) {
            assertTrue(Files.isRegularFile(run.resolve("adapter").resolve(member).resolve("adapter_model.safetensors")), member);
        }
        Cli eval = Cli.run("eval", "2afc", "--model", ensemble, "--adapter", run.resolve("adapter").toString(),
                "--data", data.resolve("test.csv").toString());
        assertEquals(0, eval.exitCode(), eval.err());
        Cli one = Cli.run("eval", "2afc", "--model", ensemble, "--adapter", run.resolve("adapter/0-tiny-vit").toString(),
                "--data", data.resolve("test.csv").toString());
        assertEquals(2, one.exitCode());
        assertTrue(one.err().contains("1 adapter(s) for 2 model(s)"), one.err());
    }

    @Test
    void accumulatingTwoHalfBatchesStepsLikeOneFullBatch() {
        Path full = dir.resolve("full");
        Path halves = dir.resolve("halves");
        assertEquals(0, Cli.run(align(full, "--epochs", "1", "--max-triplets", "64", "--lora-dropout", "0",
                "--batch", "16").toArray(String[]::new)).exitCode());
        assertEquals(0, Cli.run(align(halves, "--epochs", "1", "--max-triplets", "64", "--lora-dropout", "0",
                "--batch", "8", "--accumulate", "2").toArray(String[]::new)).exitCode());
        Safetensors a = Safetensors.read(full.resolve("adapter/adapter_model.safetensors"));
        Safetensors b = Safetensors.read(halves.resolve("adapter/adapter_model.safetensors"));
        double moved = 0;
        for (SafetensorsTensor t : a.tensors()) {
            float[] x = t.toFloats();
            float[] y = b.tensor(t.name()).toFloats();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5, t.name() + "[" + i + "]");
                moved = Math.max(moved, t.name().contains("lora_B") ? Math.abs(x[i]) : 0);
            }
        }
        assertTrue(moved > 1e-3, "the steps changed the adapter");
    }

    @Test
    void aRunIsNotOverwrittenAndAResumeKeepsItsSettings() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run(align(run, "--epochs", "1", "--max-triplets", "32").toArray(String[]::new)).exitCode());
        Cli again = Cli.run(align(run, "--epochs", "1", "--max-triplets", "32").toArray(String[]::new));
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds a run") && again.err().contains("--resume"), again.err());
        Cli changed = Cli.run(align(run, "--epochs", "1", "--max-triplets", "32", "--lr", "1e-2", "--resume").toArray(String[]::new));
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("lr: 0.001 -> 0.01"), changed.err());
        Cli nothing = Cli.run(align(dir.resolve("none"), "--resume").toArray(String[]::new));
        assertEquals(2, nothing.exitCode());
        assertTrue(nothing.err().contains("nothing to resume"), nothing.err());
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = dir.resolve("run");
        Cli r = Cli.run(align(run, "--lr", "1e30", "--checkpoint-every", "0", "--lora-dropout", "0").toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("the loss became NaN"), r.err());
        assertTrue(r.err().contains("last good checkpoint (after step 1)"), r.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.safetensors")));
        assertFalse(Files.exists(run.resolve("adapter")));
    }
}
