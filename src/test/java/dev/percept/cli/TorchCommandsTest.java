package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.align.AlignFixtures;
import dev.percept.io.JsonFiles;
import dev.percept.io.Npy;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsDtype;
import dev.percept.io.SafetensorsTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PyTorch files through the command line: `embed --model x.pth [--checkpoint-key]`, `convert` to a
 * safetensors folder (as stored, or with an adapter folded in), and refusals that end in one
 * `error:` line with exit code 2.
 */
class TorchCommandsTest {
    static final Path TORCH = Path.of("src/test/resources/torch");
    static final Path VIT = TORCH.resolve("vit");
    static final Path MARKER = Path.of("/tmp/percept-torch-fixture-ran");

    @TempDir
    Path dir;

    @Test
    void embedsFromAPthFileAsFromItsSafetensorsCopy() {
        float[] reference = embed("reference", VIT.resolve("model.safetensors").toString());
        assertArrayEquals(reference, embed("legacy", VIT.resolve("legacy.pth").toString()));
        assertArrayEquals(reference, embed("teacher", VIT.resolve("dino_checkpoint.pth").toString(), "--checkpoint-key", "teacher"));
        assertArrayEquals(reference, embed("sharded", VIT.resolve("sharded").toString()));
    }

    @Test
    @Tag("slow") // about 90 s on the shared 2-core machine
    void alignsAChosenEntryOfATrainingCheckpoint() throws IOException {
        Path data = dir.resolve("data");
        AlignFixtures.colourTriplets(data, 32, 8, 3);
        Path run = dir.resolve("run");
        Cli r = Cli.run("align", "--model", VIT.resolve("dino_checkpoint.pth").toString(), "--checkpoint-key", "teacher",
                "--data", data.resolve("train.csv").toString(), "--out", run.toString(), "--epochs", "1", "--batch", "8",
                "--threads", "1", "--precision", "fp32");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("teacher", JsonFiles.readObject(run.resolve("config.json")).path("checkpoint_key").asText());
        assertTrue(Files.isRegularFile(run.resolve("adapter/adapter_model.safetensors")));
    }

    @ParameterizedTest
    @CsvSource({"views.pth, model.safetensors, F32", "half.pth, half_expected.safetensors, F16"})
    void convertWritesEveryTensorAsStored(String file, String expected, String dtype) {
        Path out = dir.resolve("converted");
        Cli r = Cli.run("convert", "--model", VIT.resolve(file).toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
        Safetensors converted = Safetensors.read(out.resolve("model.safetensors"));
        Safetensors reference = Safetensors.read(VIT.resolve(expected));
        assertEquals(reference.tensors().size(), converted.tensors().size());
        for (SafetensorsTensor t : reference.tensors()) {
            assertEquals(SafetensorsDtype.valueOf(dtype), converted.tensor(t.name()).dtype(), t.name());
            assertArrayEquals(t.toFloats(), converted.tensor(t.name()).toFloats(), t.name());
        }
    }

    @Test
    void convertedDinoCheckpointEmbedsWithoutPickle() throws IOException {
        Path out = dir.resolve("teacher");
        Cli r = Cli.run("convert", "--model", VIT.resolve("dino_checkpoint.pth").toString(), "--checkpoint-key", "teacher",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(java.util.List.of("config.json", "model.safetensors"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(embed("reference", VIT.resolve("model.safetensors").toString()), embed("converted", out.toString()));
    }

    @Test
    void convertWithAnAdapterBinEqualsTheModelWithItsSafetensorsAdapter() {
        Path out = dir.resolve("merged");
        Cli r = Cli.run("convert", "--model", VIT.resolve("zip.pth").toString(), "--adapter", VIT.resolve("adapter_bin").toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        float[] merged = embed("merged", out.toString());
        float[] adapted = embed("adapted", VIT.resolve("model.safetensors").toString(), "--adapter", VIT.resolve("adapter_safetensors").toString());
        float[] plain = embed("plain", VIT.resolve("model.safetensors").toString());
        double diff = 0;
        double change = 0;
        for (int i = 0; i < merged.length; i++) {
            diff = Math.max(diff, Math.abs(merged[i] - adapted[i]));
            change = Math.max(change, Math.abs(adapted[i] - plain[i]));
        }
        assertTrue(diff < 1e-5 && change > 1e-2, "merged vs adapted " + diff + ", adapter effect " + change);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hostile/os_system.pth|-|refused global os.system",
        "hostile/builtins_eval.pth|-|refused global builtins.eval",
        "hostile/huge_shape.pth|-|needs 4398046511104 bytes",
        "hostile/truncated_zip.pth|-|not a readable PyTorch zip checkpoint",
        "vit/dino_checkpoint.pth|-|holds several state dicts [teacher, student]; choose one with --checkpoint-key",
        "vit/dino_checkpoint.pth|ema|no entry 'ema' (--checkpoint-key)"
    })
    void refusalsEndInOneErrorLine(String file, String key, String culprit) {
        Path model = TORCH.resolve(file);
        Cli r = key.equals("-") ? Cli.run("embed", "--model", model.toString(), "--out", dir.resolve("e.npy").toString(), image())
                : Cli.run("embed", "--model", model.toString(), "--checkpoint-key", key, "--out", dir.resolve("e.npy").toString(), image());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(model.toString()) && r.err().contains(culprit), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(MARKER), "a pickle ran code");
    }

    private static String image() {
        return EmbedCommandTest.IMAGES.resolve("jpeg_photo.jpg").toString();
    }

    private float[] embed(String name, String model, String... options) {
        Path out = dir.resolve(name + ".npy");
        String[] args = Stream.concat(Stream.of("embed", "--model", model, "--precision", "fp32", "--out", out.toString()),
                Stream.concat(Stream.of(options), Stream.of(image()))).toArray(String[]::new);
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return Npy.readFloats(out).data();
    }
}
