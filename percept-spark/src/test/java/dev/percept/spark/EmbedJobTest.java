package dev.percept.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.cli.Main;
import dev.percept.embed.ModelRequest;
import dev.percept.io.FloatArray;
import dev.percept.io.JsonFiles;
import dev.percept.io.Npy;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.search.ModelIdentity;
import dev.percept.tensor.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmbedJob in local[2] against `percept embed` on the same images. */
class EmbedJobTest {
    @TempDir
    Path dir;

    @Test
    void vectorsEqualPerceptEmbedBitForBit() throws IOException {
        Path images = Fixtures.decoderImages(dir.resolve("images"));
        Path npy = dir.resolve("cli.npy");
        int code = Main.commandLine().execute("embed", "--model", Fixtures.DINO.toString(), "--batch", "4",
                "--precision", "fp32", "--threads", "1", "--out", npy.toString(), images.toString());
        assertEquals(0, code);
        Map<String, float[]> expected = rowsOf(npy);
        assertEquals(Files.list(Fixtures.IMAGES).filter(p -> p.toString().matches(".*\\.(jpg|png|gif|bmp)$")).count(), expected.size());

        Path out = dir.resolve("spark.parquet");
        assertEquals(0, runJob("--model", Fixtures.DINO.toString(), "--batch", "4", "--precision", "fp32", "--partitions", "3",
                "--input", images.toString(), "--output", out.toString()));
        Map<String, Row> rows = rowsByPath(out);
        assertEquals(expected.keySet(), rows.keySet());
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            Row r = rows.get(e.getKey());
            assertNull(r.getAs("error"));
            // Same batches, same numerics: equal bits, not merely close.
            assertEquals(Arrays.toString(e.getValue()), Arrays.toString(EmbeddingTable.vector(r)), e.getKey());
        }
    }

    @Test
    void aCorruptImageFillsItsErrorAndTheRestAreEmbedded() throws IOException {
        Path images = dir.resolve("images");
        for (int i = 0; i < 5; i++) {
            Fixtures.png(images.resolve("img" + i + ".png"), i, 40);
        }
        Files.write(images.resolve("img2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        byte[] jpeg = Files.readAllBytes(Fixtures.IMAGES.resolve("jpeg_photo.jpg"));
        Files.write(images.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        Files.writeString(images.resolve("notes.txt"), "not an image: not listed");
        Path out = dir.resolve("out.parquet");
        assertEquals(0, runJob("--model", Fixtures.DINO.toString(), "--batch", "2", "--normalize", "l2",
                "--input", images.toString(), "--output", out.toString()));
        Map<String, Row> rows = rowsByPath(out);
        assertEquals(6, rows.size(), rows.keySet().toString());
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            boolean bad = e.getKey().endsWith("img2.png") || e.getKey().endsWith("cut.jpg");
            Row r = e.getValue();
            if (bad) {
                assertNull(r.getAs("vector"));
                String error = r.getAs("error");
                assertTrue(error.startsWith(e.getKey() + ":"), error);
            } else {
                assertNull(r.getAs("error"));
                float[] v = EmbeddingTable.vector(r);
                assertEquals(64, v.length);
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertEquals(1, norm, 1e-5);
            }
        }
    }

    @Test
    void theModelColumnIsTheIdentityPerceptIndexRecords() throws IOException {
        Path images = dir.resolve("images");
        Fixtures.png(images.resolve("a.png"), 1, 32);
        Fixtures.png(images.resolve("b.png"), 2, 32);
        Path out = dir.resolve("out.parquet");
        assertEquals(0, runJob("--model", Fixtures.DINO.toString(), "--normalize", "dreamsim", "--precision", "fp32",
                "--input", images.toString(), "--output", out.toString()));
        Engine.start(1);
        ModelRequest request = new ModelSpec(Fixtures.DINO.toString(), List.of(), null, "dreamsim", "fp32", 0, "dreamsim").request();
        List<Member> members = request.open(ModelSpec.store());
        try {
            String expected = ModelIdentity.of(request, members, FeatureNorm.DREAMSIM, ModelSpec.store(), 64).toJson();
            for (Row r : rowsByPath(out).values()) {
                assertEquals(expected, r.getAs("model"));
            }
        } finally {
            members.forEach(m -> m.backbone().close());
        }
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertEquals(2, runJob("--model", Fixtures.DINO.toString(), "--precision", "fp64",
                "--input", dir.toString(), "--output", dir.resolve("x").toString()));
        assertEquals(2, runJob("--model", Fixtures.DINO.toString(), "--input", dir.resolve("none.parquet").toString(),
                "--output", dir.resolve("y").toString()));
    }

    static int runJob(String... args) {
        LocalSpark.get();
        return Jobs.run(new EmbedJob(), args);
    }

    static Map<String, Row> rowsByPath(Path parquet) {
        Map<String, Row> out = new TreeMap<>();
        for (Row r : LocalSpark.get().read().parquet(parquet.toString()).collectAsList()) {
            out.put(r.getAs("path"), r);
        }
        return out;
    }

    /** `percept embed`'s rows by input path (absolute). */
    static Map<String, float[]> rowsOf(Path npy) throws IOException {
        FloatArray rows = Npy.readFloats(npy);
        JsonNode sidecar = JsonFiles.mapper().readTree(npy.resolveSibling(npy.getFileName().toString().replace(".npy", ".json")).toFile());
        List<String> inputs = new ArrayList<>();
        sidecar.get("inputs").forEach(n -> inputs.add(Path.of(n.asText()).toAbsolutePath().toString()));
        int width = (int) (rows.data().length / inputs.size());
        Map<String, float[]> out = new TreeMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.put(inputs.get(i), Arrays.copyOfRange(rows.data(), i * width, (i + 1) * width));
        }
        return out;
    }
}
