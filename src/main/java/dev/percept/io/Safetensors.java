package dev.percept.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file, read by memory-mapping its data section: an 8-byte little-endian header
 * length, a JSON header naming each tensor's dtype, shape and byte range, then the raw data.
 * The header is validated strictly; every problem is a {@link PerceptException} naming the file
 * and, where there is one, the tensor.
 */
public final class Safetensors {
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    static final String METADATA_KEY = "__metadata__";
    /** Tensors are mapped in windows of this size so a file of many GB needs only a few mappings. */
    private static final long WINDOW_BYTES = 1L << 30;

    private static final ObjectReader JSON = new ObjectMapper()
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsTensor> tensors;

    private Safetensors(Path file, Map<String, String> metadata, Map<String, SafetensorsTensor> tensors) {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static Safetensors read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, channel);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e, e);
        }
    }

    public Path file() {
        return file;
    }

    /** The string map stored under {@code __metadata__}; empty when the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors in header order. */
    public List<SafetensorsTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new PerceptException(file + ": no tensor named '" + name + "'");
        }
        return tensor;
    }

    private record Entry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {}

    private static Safetensors read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new PerceptException(file + ": not a safetensors file (only " + fileSize + " bytes, shorter than the 8-byte header length)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > fileSize - 8) {
            throw new PerceptException(file + ": not a safetensors file (its first 8 bytes give a header length of "
                    + Long.toUnsignedString(headerLength) + " bytes, but the file has " + fileSize + " bytes)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new PerceptException(file + ": safetensors header of " + headerLength + " bytes exceeds the limit of " + MAX_HEADER_BYTES);
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header = parseHeader(file, headerBytes.array());

        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(readEntry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, entries);
        Map<String, ByteBuffer> bytes = map(file, channel, dataStart, entries);

        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name, new SafetensorsTensor(file, e.name, e.dtype, e.shape, bytes.get(e.name)));
        }
        return new Safetensors(file, metadata, tensors);
    }

    private static JsonNode parseHeader(Path file, byte[] header) {
        int first = 0;
        while (first < header.length && Character.isWhitespace(header[first])) {
            first++;
        }
        if (first == header.length || header[first] != '{') {
            throw new PerceptException(file + ": not a safetensors file (the header after the 8-byte length is not a JSON object)");
        }
        try {
            return JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new PerceptException(file + ": not a safetensors file (its header is not valid JSON: " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new PerceptException(file + ": not a safetensors file (its header cannot be parsed: " + e.getMessage() + ")");
        }
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new PerceptException(file + ": '" + METADATA_KEY + "' must be a JSON object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new PerceptException(file + ": '" + METADATA_KEY + "' value for '" + field.getKey() + "' is not a string");
            }
            out.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new PerceptException(where + ": header entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new PerceptException(where + ": missing or non-string 'dtype'");
        }
        SafetensorsDtype dtype = SafetensorsDtype.forName(dtypeNode.textValue())
                .orElseThrow(() -> new PerceptException(where + ": unknown dtype '" + dtypeNode.textValue() + "'"));
        long[] shape = longArray(where, node.get("shape"), "shape");
        for (long dim : shape) {
            if (dim < 0) {
                throw new PerceptException(where + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long[] offsets = longArray(where, node.get("data_offsets"), "data_offsets");
        if (offsets.length != 2 || offsets[0] < 0 || offsets[0] > offsets[1]) {
            throw new PerceptException(where + ": data_offsets " + Arrays.toString(offsets) + " is not [begin, end] with 0 <= begin <= end");
        }
        if (offsets[1] > dataSize) {
            throw new PerceptException(where + ": data_offsets end " + offsets[1] + " is beyond the data section of " + dataSize + " bytes");
        }
        long expected;
        try {
            expected = Math.multiplyExact(FloatArray.elementCount(shape), dtype.elementSize());
        } catch (ArithmeticException e) {
            throw new PerceptException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (offsets[1] - offsets[0] != expected) {
            throw new PerceptException(where + ": data_offsets " + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0])
                    + " bytes, but " + dtype + Arrays.toString(shape) + " needs " + expected);
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longArray(String where, JsonNode node, String key) {
        if (node == null || !node.isArray()) {
            throw new PerceptException(where + ": missing or non-array '" + key + "'");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new PerceptException(where + ": '" + key + "' holds " + value + ", not an integer");
            }
            values[i] = value.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin == e.end) {
                continue; // an empty tensor occupies no bytes
            }
            if (previous != null && e.begin < previous.end) {
                throw new PerceptException(file + ": tensors '" + previous.name + "' and '" + e.name + "' overlap (bytes "
                        + previous.begin + ".." + previous.end + " and " + e.begin + ".." + e.end + ")");
            }
            previous = e;
        }
    }

    /** Maps each tensor's bytes, sharing one mapping among the tensors that fit in the same window. */
    private static Map<String, ByteBuffer> map(Path file, FileChannel channel, long dataStart, List<Entry> entries)
            throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        Map<String, ByteBuffer> out = new LinkedHashMap<>();
        MappedByteBuffer window = null;
        long windowStart = 0;
        long windowEnd = 0;
        for (Entry e : sorted) {
            long length = e.end - e.begin;
            if (length > Integer.MAX_VALUE) {
                throw new PerceptException(file + ": tensor '" + e.name + "' has " + length + " bytes; tensors over 2 GiB are not supported");
            }
            if (window == null || e.end > windowEnd) {
                windowStart = e.begin;
                windowEnd = Math.max(e.end, Math.min(windowStart + WINDOW_BYTES, channel.size() - dataStart));
                window = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + windowStart, windowEnd - windowStart);
            }
            out.put(e.name, window.slice((int) (e.begin - windowStart), (int) length));
        }
        return out;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
