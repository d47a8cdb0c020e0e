package dev.percept.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void f32RoundTripKeepsOrderShapesValuesAndMetadata() {
        Map<String, FloatArray> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", new FloatArray(new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 1e30f, -0f}));
        tensors.put("a.bias", new FloatArray(new long[] {3}, new float[] {0.1f, 0.2f, 0.3f}));
        tensors.put("empty", new FloatArray(new long[] {0, 5}, new float[0]));
        tensors.put("scalar", new FloatArray(new long[] {}, new float[] {7}));
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        Safetensors read = Safetensors.read(file);
        assertEquals(List.of("z.weight", "a.bias", "empty", "scalar"),
                read.tensors().stream().map(SafetensorsTensor::name).toList());
        assertEquals(Map.of("format", "pt"), read.metadata());
        for (Map.Entry<String, FloatArray> e : tensors.entrySet()) {
            SafetensorsTensor t = read.tensor(e.getKey());
            assertEquals(SafetensorsDtype.F32, t.dtype());
            assertEquals(e.getValue(), t.toFloatArray());
        }
        assertTrue(read.tensor("a.bias").data().isReadOnly());
    }

    @Test
    void headerIsPaddedSoDataStartsAtAMultipleOfEight() throws IOException {
        Path file = dir.resolve("pad.safetensors");
        SafetensorsWriter.write(file, Map.of("x", new FloatArray(new long[] {1}, new float[] {1})), Map.of());
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = bytes.getLong(0);
        assertEquals(0, headerLength % 8);
        assertEquals(8 + headerLength + 4, Files.size(file));
        String header = new String(bytes.array(), 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.strip());
    }

    @Test
    void writerReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Files.writeString(file, "old");
        SafetensorsWriter.write(file, Map.of("x", new FloatArray(new long[] {1}, new float[] {4})), Map.of());
        assertArrayEquals(new float[] {4}, Safetensors.read(file).tensor("x").toFloats());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void bf16AndF16AreWrittenWithRoundToNearestEven() throws IOException {
        float[] values = {1.0f, -2.0f, 1.00390625f, 1.01171875f, 65504f, 65520f, 0x1p-24f, 1f / 3};
        Map<String, FloatArray> tensors = Map.of("x", new FloatArray(new long[] {values.length}, values));

        Path bf16 = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(bf16, tensors, Map.of(), SafetensorsDtype.BF16);
        // 1.00390625 = 1 + 2^-8 is a tie between 1.0 and 1 + 2^-7: to even is 1.0; 1 + 3 * 2^-8 rounds up.
        assertArrayEquals(new short[] {0x3F80, (short) 0xC000, 0x3F80, 0x3F82, 0x4780, 0x4780, 0x3380, 0x3EAB}, shorts(bf16));
        assertArrayEquals(new float[] {1, -2, 1, 1.015625f, 65536, 65536, 0x1p-24f, 0.333984375f},
                Safetensors.read(bf16).tensor("x").toFloats());

        Path f16 = dir.resolve("f16.safetensors");
        SafetensorsWriter.write(f16, tensors, Map.of(), SafetensorsDtype.F16);
        // 65504 is the largest half; 65520 rounds to infinity; 2^-24 is the smallest subnormal.
        assertArrayEquals(new short[] {0x3C00, (short) 0xC000, 0x3C04, 0x3C0C, 0x7BFF, 0x7C00, 0x0001, 0x3555}, shorts(f16));
        assertArrayEquals(new float[] {1, -2, 1.00390625f, 1.01171875f, 65504, Float.POSITIVE_INFINITY, 0x1p-24f, 0.333251953125f},
                Safetensors.read(f16).tensor("x").toFloats());
    }

    private static short[] shorts(Path file) throws IOException {
        SafetensorsTensor t = Safetensors.read(file).tensor("x");
        short[] out = new short[(int) t.elementCount()];
        t.data().asShortBuffer().get(out);
        return out;
    }

    @Test
    void readsEveryDtypeAndConvertsHalfFormatsToFloat() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x4049).putShort((short) 0x7F80); // bf16
        data.putShort((short) 0x3C00).putShort((short) 0x0001).putShort((short) 0xFBFF).putShort((short) 0x7C00); // f16
        data.putLong(0).putLong(1).putLong(2); // i64 position_ids
        data.put((byte) 1).put((byte) 0); // bool
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[8,16]},"
                + "\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,3],\"data_offsets\":[16,40]},"
                + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[40,42]}}";
        Path file = write("dtypes.safetensors", header, data.array(), 42);

        Safetensors st = Safetensors.read(file);
        assertArrayEquals(new float[] {1.0f, -2.0f, 3.140625f, Float.POSITIVE_INFINITY}, st.tensor("b").toFloats());
        assertArrayEquals(new float[] {1.0f, 0x1p-24f, -65504f, Float.POSITIVE_INFINITY}, st.tensor("h").toFloats());
        SafetensorsTensor ids = st.tensor("position_ids");
        assertEquals(SafetensorsDtype.I64, ids.dtype());
        assertArrayEquals(new long[] {1, 3}, ids.shape());
        assertEquals(2, ids.data().getLong(16));
        PerceptException e = assertThrows(PerceptException.class, ids::toFloats);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("position_ids"), e.getMessage());
        assertEquals(2, st.tensor("mask").data().remaining());
    }

    @Test
    void everyDtypeHasItsElementSize() {
        assertEquals(1, SafetensorsDtype.BOOL.elementSize());
        assertEquals(1, SafetensorsDtype.F8_E5M2.elementSize());
        assertEquals(2, SafetensorsDtype.BF16.elementSize());
        assertEquals(4, SafetensorsDtype.U32.elementSize());
        assertEquals(8, SafetensorsDtype.I64.elementSize());
        assertEquals(8, SafetensorsDtype.U64.elementSize());
        assertEquals(15, SafetensorsDtype.values().length);
    }

    @Test
    void missingTensorNamesFileAndTensor() {
        Path file = dir.resolve("one.safetensors");
        SafetensorsWriter.write(file, Map.of("x", new FloatArray(new long[] {1}, new float[] {1})), Map.of());
        PerceptException e = assertThrows(PerceptException.class, () -> Safetensors.read(file).tensor("y"));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'y'"), e.getMessage());
        assertFalse(Safetensors.read(file).contains("y"));
    }

    static Stream<Arguments> malformedHeaders() {
        String ok = "\"dtype\":\"F32\",\"shape\":[2]";
        return Stream.of(
                Arguments.of("not json", "{\"a\": ", 0, "not valid JSON"),
                Arguments.of("not an object", "[1, 2]", 0, "not a safetensors file"),
                Arguments.of("trailing garbage", "{} x", 0, "not valid JSON"),
                Arguments.of("duplicate key", "{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", 8, "Duplicate"),
                Arguments.of("unknown dtype", "{\"a\":{\"dtype\":\"F24\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unknown dtype 'F24'"),
                Arguments.of("negative dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "negative dimension"),
                Arguments.of("fractional dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "not an integer"),
                Arguments.of("no offsets", "{\"a\":{" + ok + "}}", 8, "data_offsets"),
                Arguments.of("one offset", "{\"a\":{" + ok + ",\"data_offsets\":[8]}}", 8, "is not [begin, end]"),
                Arguments.of("begin after end", "{\"a\":{" + ok + ",\"data_offsets\":[8,0]}}", 8, "is not [begin, end]"),
                Arguments.of("end beyond data", "{\"a\":{" + ok + ",\"data_offsets\":[4,12]}}", 8, "beyond the data section"),
                Arguments.of("size mismatch", "{\"a\":{" + ok + ",\"data_offsets\":[0,4]}}", 8, "needs 8"),
                Arguments.of("overlap", "{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"b\":{" + ok + ",\"data_offsets\":[4,12]}}", 12, "overlap"),
                Arguments.of("metadata not strings", "{\"__metadata__\":{\"epoch\":3}}", 0, "is not a string"),
                Arguments.of("entry not an object", "{\"a\":3}", 0, "not a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaders")
    void malformedHeaderIsAPerceptExceptionNamingTheFile(String name, String header, int dataBytes, String expected) throws IOException {
        Path file = write(name.replace(' ', '_') + ".safetensors", header, new byte[dataBytes], dataBytes);
        assertFailsWith(file, expected);
        if (header.contains("\"a\":{")) {
            assertFailsWith(file, name.contains("duplicate") ? "" : "'a'");
        }
    }

    @Test
    void fileShorterThanEightBytesIsRejected() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertFailsWith(file, "shorter than the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        Path file = dir.resolve("long.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(9).array());
        assertFailsWith(file, "not a safetensors file");
    }

    @Test
    void headerLongerThanTheLimitIsRejected() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        long headerLength = Safetensors.MAX_HEADER_BYTES + 8;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + headerLength); // sparse: takes no disk space
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
        }
        assertFailsWith(file, "exceeds the limit");
    }

    @Test
    void pngAndPickleFilesAreNotSafetensors() throws IOException {
        Path png = dir.resolve("image.safetensors");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        assertFailsWith(png, "not a safetensors file");
        Path zip = dir.resolve("pytorch_model.bin");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertFailsWith(zip, "not a safetensors file");
        Path pickle = dir.resolve("old.bin");
        byte[] bytes = new byte[64];
        bytes[0] = (byte) 0x80;
        bytes[1] = 2;
        bytes[2] = (byte) 0x8a;
        bytes[3] = 0x0a;
        Files.write(pickle, bytes);
        assertFailsWith(pickle, "not a safetensors file");
    }

    private Path write(String name, String header, byte[] data, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data, 0, dataBytes);
        Path file = dir.resolve(name);
        Files.write(file, out.array());
        return file;
    }

    private static void assertFailsWith(Path file, String fragment) {
        PerceptException e = assertThrows(PerceptException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
