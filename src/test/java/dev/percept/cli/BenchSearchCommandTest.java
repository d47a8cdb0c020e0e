package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept bench search`: recall rises with the beam, the JSON lines FAISS's script is compared with, and --vectors. */
class BenchSearchCommandTest {
    @TempDir
    Path dir;

    private static List<JsonNode> jsonLines(Cli r) {
        ObjectMapper m = new ObjectMapper();
        return r.out().lines().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return m.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
    }

    @Test
    void measuresEachQuantizationAtEachBeamWidthAndWritesTheVectors() {
        Cli r = Cli.run("bench", "search", "--rows", "3000", "--dim", "48", "--queries", "60", "--clusters", "30",
                "--quantize", "none,int7", "--candidates", "10,80", "--rounds", "1", "--write", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> lines = jsonLines(r);
        assertEquals(List.of("none", "int7"), lines.stream().map(j -> j.get("quantize").asText()).toList());
        for (JsonNode j : lines) {
            assertEquals(3000, j.get("rows").asInt());
            assertTrue(j.get("build_s").asDouble() > 0 && j.get("index_bytes").asLong() > 3000L * 48 * 4, j.toString());
            JsonNode narrow = j.get("points").get(0);
            JsonNode wide = j.get("points").get(1);
            assertEquals(80, wide.get("ef").asInt());
            assertTrue(wide.get("recall").asDouble() >= 0.97, j.toString());
            assertTrue(wide.get("recall").asDouble() >= narrow.get("recall").asDouble(), j.toString());
            assertTrue(narrow.get("qps").asDouble() > 0, j.toString());
        }
        // The quantized index keeps the floats beside the 7-bit codes: larger on disk.
        assertTrue(lines.get(1).get("index_bytes").asLong() > lines.get(0).get("index_bytes").asLong());
        FloatArray base = Npy.readFloats(dir.resolve("base.npy"));
        assertArrayEquals(new long[] {3000, 48}, base.shape());
        assertArrayEquals(new long[] {60, 48}, Npy.readFloats(dir.resolve("queries.npy")).shape());
        double norm = 0;
        for (int i = 0; i < 48; i++) {
            norm += base.data()[i] * base.data()[i];
        }
        assertEquals(1, norm, 1e-5);
    }

    @Test
    void readsRawFloat32VectorsAndRefusesBadOptions() throws IOException {
        int rows = 400;
        int dim = 8;
        ByteBuffer bytes = ByteBuffer.allocate(rows * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < rows * dim; i++) {
            bytes.putFloat((float) random.nextGaussian());
        }
        Path f32 = Files.write(dir.resolve("v.f32"), bytes.array());
        Cli r = Cli.run("bench", "search", "--vectors", f32.toString(), "--dim", "8", "--queries", "40", "--quantize", "none",
                "--candidates", "400", "--rounds", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = jsonLines(r).get(0);
        assertEquals(360, j.get("rows").asInt());
        assertEquals(1.0, j.get("points").get(0).get("recall").asDouble(), 1e-9); // a beam as wide as the data is exact

        Cli odd = Cli.run("bench", "search", "--vectors", f32.toString(), "--dim", "7");
        assertEquals(2, odd.exitCode());
        assertTrue(odd.err().contains("not a whole number of float32 rows of --dim 7"), odd.err());
        Cli narrow = Cli.run("bench", "search", "--rows", "100", "--candidates", "5");
        assertEquals(2, narrow.exitCode());
        assertTrue(narrow.err().contains("at least 10, not 5"), narrow.err());
    }
}
