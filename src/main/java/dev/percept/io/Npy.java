package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * numpy's {@code .npy} format: writes float32 arrays (format 1.0, {@code '<f4'}, C order, data
 * aligned to 64 bytes, atomically) and reads little-endian {@code <f4}, {@code <f8}, {@code <i8},
 * {@code <i4} and {@code |u1} arrays.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int CHUNK = 1 << 16;
    private static final Map<String, Integer> ITEM_SIZES = Map.of("<f4", 4, "<f8", 8, "<i8", 8, "<i4", 4, "|u1", 1);

    private Npy() {}

    public static void write(Path file, FloatArray array) {
        try (NpyRowWriter writer = NpyRowWriter.create(file, array.shape())) {
            writer.append(array.data());
        }
    }

    /** Writes a float64 ({@code '<f8'}) array, the dtype numpy gives Python floats (BAPPS' judge files). */
    public static void writeFloat64(Path file, long[] shape, double[] data) {
        if (FloatArray.elementCount(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
        ByteBuffer body = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        body.asDoubleBuffer().put(data);
        try (AtomicFile out = AtomicFile.create(file)) {
            out.write(ByteBuffer.wrap(header("<f8", shape)));
            out.write(body);
            out.commit();
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e, e);
        }
    }

    /** The format 1.0 header for a C-order float32 array, padded so the data starts at a multiple of 64. */
    static byte[] float32Header(long[] shape) {
        return header("<f4", shape);
    }

    private static byte[] header(String descr, long[] shape) {
        StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long dim : shape) {
            dims.add(Long.toString(dim));
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }

    /** Reads any supported dtype; values become doubles. */
    public static NpyArray read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            double[] out = new double[checkedCount(file, header)];
            ByteBuffer data = mapData(channel, header);
            switch (header.dtype) {
                case "<f4" -> {
                    float[] chunk = new float[CHUNK];
                    var source = data.asFloatBuffer();
                    for (int start = 0; start < out.length; start += CHUNK) {
                        int n = Math.min(CHUNK, out.length - start);
                        source.get(chunk, 0, n);
                        for (int i = 0; i < n; i++) {
                            out[start + i] = chunk[i];
                        }
                    }
                }
                case "<f8" -> data.asDoubleBuffer().get(out);
                case "<i8" -> {
                    var source = data.asLongBuffer();
                    for (int i = 0; i < out.length; i++) {
                        out[i] = source.get(i);
                    }
                }
                case "<i4" -> {
                    var source = data.asIntBuffer();
                    for (int i = 0; i < out.length; i++) {
                        out[i] = source.get(i);
                    }
                }
                default -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = data.get(i) & 0xff;
                    }
                }
            }
            return new NpyArray(header.dtype, header.shape, out);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e, e);
        }
    }

    /** Reads any supported dtype as float32 (exact for {@code <f4} and {@code |u1}). */
    public static FloatArray readFloats(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            if (header.dtype.equals("<f4")) { // the common case, copied in bulk
                float[] out = new float[checkedCount(file, header)];
                mapData(channel, header).asFloatBuffer().get(out);
                return new FloatArray(header.shape, out);
            }
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e, e);
        }
        NpyArray any = read(file);
        float[] out = new float[any.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) any.data()[i];
        }
        return new FloatArray(any.shape(), out);
    }

    /**
     * Opens a float32 file for reading by memory mapping: rows are mapped on request, never copied
     * onto the Java heap as a whole.
     */
    public static MappedFloats map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            if (!header.dtype.equals("<f4")) {
                throw new PerceptException(file + ": expected float32 ('<f4') data, found '" + header.dtype + "'");
            }
            return new MappedFloats(file, header.shape, header.dataStart);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e, e);
        }
    }

    private record Header(String dtype, long[] shape, long dataStart, long count) {}

    private static int checkedCount(Path file, Header header) {
        if (header.count > Integer.MAX_VALUE - 8) {
            throw new PerceptException(file + ": " + header.count + " elements are too many for one Java array");
        }
        return (int) header.count;
    }

    private static ByteBuffer mapData(FileChannel channel, Header header) throws IOException {
        long bytes = header.count * ITEM_SIZES.get(header.dtype);
        if (bytes == 0) {
            return ByteBuffer.allocate(0);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(prefix, 0);
        byte[] magic = Arrays.copyOf(prefix.array(), MAGIC.length);
        if (prefix.position() < 10 || !Arrays.equals(magic, MAGIC)) {
            throw new PerceptException(file + ": not a .npy file (it does not start with the numpy magic bytes)");
        }
        int major = prefix.get(6);
        int lengthBytes = major == 1 ? 2 : 4;
        if (major < 1 || major > 3) {
            throw new PerceptException(file + ": .npy format version " + major + " is not supported");
        }
        if (prefix.position() < 8 + lengthBytes) {
            throw new PerceptException(file + ": .npy file is truncated inside its header");
        }
        long headerLength = major == 1 ? prefix.getShort(8) & 0xffff : prefix.getInt(8) & 0xffffffffL;
        long dataStart = 8 + lengthBytes + headerLength;
        if (dataStart > size) {
            throw new PerceptException(file + ": .npy file is truncated inside its header");
        }
        ByteBuffer text = ByteBuffer.allocate((int) headerLength);
        channel.read(text, 8 + lengthBytes);
        String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header header = parseHeader(file, dict, dataStart);

        long itemSize = ITEM_SIZES.get(header.dtype);
        long expected = Math.multiplyExact(header.count, itemSize);
        long actual = size - dataStart;
        if (actual < expected) {
            throw new PerceptException(file + ": .npy data is truncated: shape " + Arrays.toString(header.shape) + " of "
                    + header.dtype + " needs " + expected + " bytes, the file has " + actual);
        }
        if (actual > expected) {
            throw new PerceptException(file + ": .npy file has " + (actual - expected) + " bytes after the data its header describes");
        }
        return header;
    }

    private static Header parseHeader(Path file, String dict, long dataStart) {
        Map<String, Object> fields;
        try {
            fields = new PythonLiteral(dict).dict();
        } catch (IllegalArgumentException e) {
            throw new PerceptException(file + ": malformed .npy header (" + e.getMessage() + "): " + dict.strip());
        }
        Object descr = fields.get("descr");
        Object fortran = fields.get("fortran_order");
        Object shape = fields.get("shape");
        if (!(descr instanceof String dtype)) {
            throw new PerceptException(file + ": .npy header has " + (descr == null ? "no 'descr'" : "a structured dtype, which is not supported"));
        }
        if (dtype.startsWith(">")) {
            throw new PerceptException(file + ": .npy dtype '" + dtype + "' is big-endian; only little-endian data is supported");
        }
        if (dtype.contains("O")) {
            throw new PerceptException(file + ": .npy holds an object array ('" + dtype + "'), which cannot be read without Python");
        }
        if (!ITEM_SIZES.containsKey(dtype)) {
            throw new PerceptException(file + ": .npy dtype '" + dtype + "' is not supported (supported: <f4, <f8, <i8, <i4, |u1)");
        }
        if (!(fortran instanceof Boolean fortranOrder)) {
            throw new PerceptException(file + ": .npy header has no boolean 'fortran_order'");
        }
        if (fortranOrder) {
            throw new PerceptException(file + ": .npy array is in Fortran order; only C order is supported");
        }
        if (!(shape instanceof List<?> dims)) {
            throw new PerceptException(file + ": .npy header has no 'shape' tuple");
        }
        long[] longs = new long[dims.size()];
        for (int i = 0; i < longs.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new PerceptException(file + ": .npy shape " + dims + " is not a tuple of non-negative integers");
            }
            longs[i] = dim;
        }
        long count;
        try {
            count = FloatArray.elementCount(longs);
        } catch (ArithmeticException e) {
            throw new PerceptException(file + ": .npy shape " + dims + " is too large");
        }
        return new Header(dtype, longs, dataStart, count);
    }

    /** The subset of Python literals a .npy header uses: a dict of strings, booleans, int tuples and lists. */
    private static final class PythonLiteral {
        private final String text;
        private int pos;

        PythonLiteral(String text) {
            this.text = text;
        }

        Map<String, Object> dict() {
            Object value = value();
            skipSpace();
            if (pos != text.length() || !(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("not a single dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) value;
            return map;
        }

        private Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                pos++;
                while (!consume('}')) {
                    Object key = value();
                    if (!(key instanceof String name)) {
                        throw new IllegalArgumentException("dict key is not a string");
                    }
                    expect(':');
                    map.put(name, value());
                    if (!consume(',')) {
                        expect('}');
                        break;
                    }
                }
                return map;
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                List<Object> items = new ArrayList<>();
                pos++;
                while (!consume(close)) {
                    items.add(value());
                    if (!consume(',')) {
                        expect(close);
                        break;
                    }
                }
                return items;
            }
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, pos + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated string");
                }
                String s = text.substring(pos + 1, end);
                pos = end + 1;
                return s;
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-')) {
                pos++;
            }
            String word = text.substring(start, pos);
            switch (word) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                default:
                    String digits = word.endsWith("L") ? word.substring(0, word.length() - 1) : word;
                    try {
                        return Long.parseLong(digits);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
                    }
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean consume(char c) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!consume(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
            }
        }
    }
}
