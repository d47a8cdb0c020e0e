package dev.percept.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyTest {
    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void float64FilesRoundTripWithNumpysDtype() throws IOException {
        Path file = dir.resolve("judge.npy");
        Npy.writeFloat64(file, new long[] {1}, new double[] {0.6});
        String header = new String(Files.readAllBytes(file), 10, 60, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }"), header);
        NpyArray back = Npy.read(file);
        assertEquals("<f8", back.dtype());
        assertArrayEquals(new long[] {1}, back.shape());
        assertArrayEquals(new double[] {0.6}, back.data());
    }

    @Test
    void writtenFileHasNumpysHeaderAndDataAlignedTo64() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, new FloatArray(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(128 + 24, bytes.length);
        String header = new String(bytes, 0, 128, StandardCharsets.ISO_8859_1);
        assertEquals("\u0093NUMPY\u0001\u0000\u0076\u0000{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.substring(0, 69));
        assertTrue(header.endsWith(" \n"));
        assertEquals(0x3f800000, (bytes[128] & 0xff) | (bytes[129] & 0xff) << 8 | (bytes[130] & 0xff) << 16 | (bytes[131] & 0xff) << 24);
    }

    @ParameterizedTest
    @CsvSource({"'', ()", "'5', '(5,)'", "'0,4', '(0, 4)'", "'2,1,3', '(2, 1, 3)'"})
    void roundTripsAnyShape(String dims, String pythonShape) throws IOException {
        long[] shape = dims.isEmpty() ? new long[0] : Stream.of(dims.split(",")).mapToLong(Long::parseLong).toArray();
        float[] data = new float[(int) FloatArray.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f - 1;
        }
        Path file = dir.resolve("x.npy");
        Npy.write(file, new FloatArray(shape, data));
        assertEquals(0, (Files.size(file) - 4L * data.length) % 64);
        assertTrue(Files.readString(file, StandardCharsets.ISO_8859_1).contains("'shape': " + pythonShape + ", }"));
        assertEquals(new FloatArray(shape, data), Npy.readFloats(file));
        NpyArray asDoubles = Npy.read(file);
        assertEquals("<f4", asDoubles.dtype());
        assertArrayEquals(shape, asDoubles.shape());
    }

    @Test
    void readsFilesWrittenByNumpy() {
        FloatArray f4 = Npy.readFloats(resource("f4_2x3.npy"));
        assertArrayEquals(new long[] {2, 3}, f4.shape());
        assertArrayEquals(new float[] {0.5f, -1.25f, 3.0f, 1e-3f, 65504f, -0f}, f4.data());
        assertEquals(new NpyArray("<f8", new long[] {4}, new double[] {1.5, -2.25, 1e300, 0.1}), Npy.read(resource("f8_4.npy")));
        assertEquals(new NpyArray("<i8", new long[] {2, 2}, new double[] {-3, 1L << 40, 0, 7}), Npy.read(resource("i8_2x2.npy")));
        assertEquals(new NpyArray("<i4", new long[] {3}, new double[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}), Npy.read(resource("i4_3.npy")));
        assertEquals(new NpyArray("|u1", new long[] {2, 2, 2}, new double[] {0, 36, 72, 108, 144, 180, 216, 252}), Npy.read(resource("u1_2x2x2.npy")));
        assertEquals(new FloatArray(new long[] {}, new float[] {2.5f}), Npy.readFloats(resource("f4_scalar.npy")));
        assertEquals(new FloatArray(new long[] {0, 4}, new float[0]), Npy.readFloats(resource("f4_0x4.npy")));
        assertArrayEquals(new float[] {0, 36, 72, 108, 144, 180, 216, 252}, Npy.readFloats(resource("u1_2x2x2.npy")).data());
    }

    @ParameterizedTest
    @CsvSource({
        "bad_fortran.npy, Fortran order",
        "bad_bigendian.npy, big-endian",
        "bad_object.npy, object array",
        "bad_float16.npy, '<f2' is not supported",
        "bad_truncated.npy, truncated"})
    void rejectsWhatItCannotReadNamingTheFile(String name, String expected) {
        Path file = resource(name);
        PerceptException e = assertThrows(PerceptException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
        assertThrows(PerceptException.class, () -> Npy.readFloats(file));
    }

    @Test
    void rejectsNonNpyFilesAndTrailingBytes() throws IOException {
        Path png = dir.resolve("image.npy");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0});
        PerceptException e = assertThrows(PerceptException.class, () -> Npy.read(png));
        assertTrue(e.getMessage().contains(png + ": not a .npy file"), e.getMessage());

        Path longer = dir.resolve("longer.npy");
        byte[] valid = Files.readAllBytes(resource("f4_2x3.npy"));
        Files.write(longer, Arrays.copyOf(valid, valid.length + 4));
        e = assertThrows(PerceptException.class, () -> Npy.read(longer));
        assertTrue(e.getMessage().contains("4 bytes after the data"), e.getMessage());
    }

    @Test
    void rowWriterAppendsBatchesAndPublishesWhenComplete() throws IOException {
        Path file = dir.resolve("emb.npy");
        try (NpyRowWriter writer = NpyRowWriter.create(file, 5, 2)) {
            writer.append(new float[] {0, 1, 2, 3});
            writer.append(new float[] {4, 5});
            assertFalse(Files.exists(file), "the file appears only when complete");
            writer.append(new float[] {6, 7, 8, 9});
            assertEquals(5, writer.rowsWritten());
        }
        assertEquals(new FloatArray(new long[] {5, 2}, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), Npy.readFloats(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void rowWriterRejectsPartialRowsAndTooManyRows() {
        Path file = dir.resolve("emb.npy");
        try (NpyRowWriter writer = NpyRowWriter.create(file, 2, 3)) {
            assertThrows(IllegalArgumentException.class, () -> writer.append(new float[4]));
            writer.append(new float[6]);
            assertThrows(IllegalArgumentException.class, () -> writer.append(new float[3]));
        }
        assertTrue(Files.exists(file));
    }

    @Test
    void incompleteRowWriterLeavesNoFile() throws IOException {
        Path file = dir.resolve("emb.npy");
        NpyRowWriter writer = NpyRowWriter.create(file, 3, 2);
        writer.append(new float[] {1, 2});
        PerceptException e = assertThrows(PerceptException.class, writer::close);
        assertTrue(e.getMessage().contains(file + ": only 1 of 3 rows"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
