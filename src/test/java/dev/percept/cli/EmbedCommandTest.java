package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept embed` and `percept distance` as a user runs them, on the tiny fixture models. */
class EmbedCommandTest {
    static final Path PARITY = Path.of("src/test/resources/parity");
    static final Path IMAGES = Path.of("src/test/resources/images");
    static final String DINO = PARITY.resolve("dino_timm/model").toString();
    static final String CLIP = PARITY.resolve("clip_hf/model").toString();

    @TempDir
    Path dir;

    Path inputs;

    @BeforeEach
    void images() throws IOException {
        inputs = dir.resolve("in");
        Files.createDirectories(inputs.resolve("sub"));
        Files.copy(IMAGES.resolve("jpeg_photo.jpg"), inputs.resolve("b.jpg"));
        Files.copy(IMAGES.resolve("png_rgba.png"), inputs.resolve("sub/a.png"));
        Files.copy(IMAGES.resolve("jpeg_cmyk.jpg"), inputs.resolve("c.jpg"));
        Files.writeString(inputs.resolve("notes.txt"), "not an image, skipped in folders");
    }

    @Test
    void writesRowsInSortedInputOrderWithASidecar() throws IOException {
        Path out = dir.resolve("feats.npy");
        Cli r = Cli.run("embed", "--model", DINO, "--batch", "2", "--precision", "fp32", "--out", out.toString(), inputs.toString());
        assertEquals(0, r.exitCode(), r.err());
        FloatArray rows = Npy.readFloats(out);
        assertArrayEquals(new long[] {3, 64}, rows.shape());
        JsonNode sidecar = new ObjectMapper().readTree(dir.resolve("feats.json").toFile());
        List<String> listed = new ArrayList<>();
        sidecar.get("inputs").forEach(n -> listed.add(n.asText()));
        assertEquals(List.of(inputs.resolve("b.jpg").toString(), inputs.resolve("c.jpg").toString(),
                inputs.resolve("sub/a.png").toString()), listed);
        assertEquals("cls", sidecar.get("models").get(0).get("features").asText());

        // Row i is the embedding of input i, whatever the batch size.
        Path single = dir.resolve("single.npy");
        assertEquals(0, Cli.run("embed", "--model", DINO, "--precision", "fp32", "--out", single.toString(),
                inputs.resolve("sub/a.png").toString()).exitCode());
        float[] alone = Npy.readFloats(single).data();
        for (int c = 0; c < 64; c++) {
            assertEquals(alone[c], rows.data()[2 * 64 + c], 1e-5);
        }
    }

    @Test
    void ensemblesConcatenateMembersAndPatchTokensAreGrids() {
        Path out = dir.resolve("ens.npy");
        Cli r = Cli.run("embed", "--model", DINO + "," + CLIP, "--normalize", "dreamsim", "--out", out.toString(), inputs.toString());
        assertEquals(0, r.exitCode(), r.err());
        FloatArray rows = Npy.readFloats(out);
        assertArrayEquals(new long[] {3, 64 + 32}, rows.shape()); // DINO cls 64 + CLIP embedding 32
        for (int i = 0; i < 3; i++) { // dreamsim normalisation: zero mean, unit norm
            double sum = 0;
            double sq = 0;
            for (int c = 0; c < 96; c++) {
                sum += rows.data()[i * 96 + c];
                sq += rows.data()[i * 96 + c] * rows.data()[i * 96 + c];
            }
            assertEquals(0, sum, 1e-4);
            assertEquals(1, sq, 1e-4);
        }
        Path grid = dir.resolve("grid.npy");
        assertEquals(0, Cli.run("embed", "--model", DINO, "--features", "patch_tokens", "--image-size", "48",
                "--out", grid.toString(), inputs.toString()).exitCode());
        assertArrayEquals(new long[] {3, 6, 6, 64}, Npy.readFloats(grid).shape());
    }

    @Test
    void distanceIsZeroForTheSameImageAndPositiveOtherwise() {
        String a = inputs.resolve("b.jpg").toString();
        String b = inputs.resolve("sub/a.png").toString();
        Cli same = Cli.run("distance", "--model", CLIP, a, a);
        assertEquals(0, same.exitCode(), same.err());
        assertEquals(0.0, Double.parseDouble(same.out().strip()), 1e-6);
        Cli other = Cli.run("distance", "--model", CLIP, a, b);
        double d = Double.parseDouble(other.out().strip());
        assertTrue(d > 1e-4 && d <= 2, "distance " + d);
    }

    @Test
    void aCorruptImageIsAClearErrorNamingTheFileAndNoOutputAppears() throws IOException {
        Path bad = inputs.resolve("broken.jpg");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2});
        Path out = dir.resolve("feats.npy");
        Cli r = Cli.run("embed", "--model", DINO, "--out", out.toString(), inputs.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(bad.toString()), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anInterruptedRunContinuesWhereItStoppedAndEndsWithTheSameRows() throws IOException {
        Path full = dir.resolve("full.npy");
        assertEquals(0, Cli.run("embed", "--model", DINO, "--batch", "1", "--precision", "fp32",
                "--out", full.toString(), inputs.toString()).exitCode());

        // Break the second input (c.jpg): the run stops there with the first row safely kept.
        Path second = inputs.resolve("c.jpg");
        byte[] good = Files.readAllBytes(second);
        Files.write(second, new byte[] {1, 2, 3});
        Path out = dir.resolve("feats.npy");
        Cli broken = Cli.run("embed", "--model", DINO, "--batch", "1", "--precision", "fp32", "--out", out.toString(), inputs.toString());
        assertEquals(2, broken.exitCode());
        assertFalse(Files.exists(out));
        assertTrue(Files.exists(dir.resolve("feats.npy.partial")) && Files.exists(dir.resolve("feats.npy.partial.json")));
        assertEquals(1, new ObjectMapper().readTree(dir.resolve("feats.npy.partial.json").toFile()).get("rows").asInt());

        // Other settings may not continue someone else's partial output.
        Cli other = Cli.run("embed", "--model", DINO, "--batch", "1", "--precision", "fp32", "--normalize", "l2",
                "--out", out.toString(), inputs.toString());
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("unfinished run with other inputs or settings"), other.err());

        // The rerun continues after row 0: breaking that input now must not matter.
        Files.write(second, good);
        Files.write(inputs.resolve("b.jpg"), new byte[] {4, 5, 6});
        Cli resumed = Cli.run("embed", "--model", DINO, "--batch", "1", "--precision", "fp32", "--out", out.toString(), inputs.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertArrayEquals(Npy.readFloats(full).data(), Npy.readFloats(out).data());
        assertFalse(Files.exists(dir.resolve("feats.npy.partial")));
        assertFalse(Files.exists(dir.resolve("feats.npy.partial.json")));
    }

    @Test
    void badArgumentsAreClearErrors() {
        Cli noModel = Cli.run("embed", "--model", dir.resolve("missing").toString(), "--out", "x.npy", inputs.toString());
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("missing"), noModel.err());
        Cli badMode = Cli.run("embed", "--model", DINO, "--features", "pooled", "--out", "x.npy", inputs.toString());
        assertEquals(2, badMode.exitCode());
        assertTrue(badMode.err().contains("unknown feature mode 'pooled'"), badMode.err());
        Cli noEmbedding = Cli.run("embed", "--model", DINO, "--features", "embedding", "--out",
                dir.resolve("e.npy").toString(), inputs.toString());
        assertEquals(2, noEmbedding.exitCode());
        assertTrue(noEmbedding.err().contains("no visual projection"), noEmbedding.err());
        Cli adapters = Cli.run("embed", "--model", DINO, "--adapter", "a,b", "--out", "x.npy", inputs.toString());
        assertEquals(2, adapters.exitCode());
        assertTrue(adapters.err().contains("lists 2 adapter(s) for 1 model(s)"), adapters.err());
        Cli noInput = Cli.run("embed", "--model", DINO, "--out", "x.npy", dir.resolve("nothing-here").toString());
        assertEquals(2, noInput.exitCode());
        assertTrue(noInput.err().contains("does not exist"), noInput.err());
    }
}
