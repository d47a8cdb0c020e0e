package dev.percept.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes named float arrays as a safetensors file (F32, or rounded to BF16 or F16), atomically:
 * the file appears complete under its name or not at all.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_ELEMENTS = 1 << 16;

    private SafetensorsWriter() {}

    /** Writes every tensor as F32. */
    public static void write(Path file, Map<String, FloatArray> tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, SafetensorsDtype.F32);
    }

    /**
     * Writes the tensors in the map's iteration order as {@code dtype} (F32, BF16 or F16), with
     * {@code metadata} under {@code __metadata__} when it is not empty.
     */
    public static void write(Path file, Map<String, FloatArray> tensors, Map<String, String> metadata, SafetensorsDtype dtype) {
        if (dtype != SafetensorsDtype.F32 && dtype != SafetensorsDtype.BF16 && dtype != SafetensorsDtype.F16) {
            throw new IllegalArgumentException("float tensors are written as F32, BF16 or F16, not " + dtype);
        }
        byte[] header = header(tensors, metadata, dtype);
        try (AtomicFile out = AtomicFile.create(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            out.write(length);
            out.write(ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * dtype.elementSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (FloatArray tensor : tensors.values()) {
                writeValues(out, chunk, tensor.data(), dtype);
            }
            out.commit();
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e, e);
        }
    }

    /**
     * Writes tensors as they are stored (their own dtype, any strides made contiguous), in the
     * map's iteration order: a lossless copy of another weights file.
     */
    public static void writeStored(Path file, Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        Map<String, HeaderEntry> entries = new LinkedHashMap<>();
        tensors.forEach((name, t) -> entries.put(name, new HeaderEntry(t.dtype(), t.shape(), t.elementCount())));
        byte[] header = header(entries, metadata);
        try (AtomicFile out = AtomicFile.create(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            out.write(ByteBuffer.wrap(header));
            for (StoredTensor tensor : tensors.values()) {
                out.write(tensor.contiguousBytes());
            }
            out.commit();
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e, e);
        }
    }

    /** The JSON header for float arrays all written as {@code dtype}. */
    private static byte[] header(Map<String, FloatArray> tensors, Map<String, String> metadata, SafetensorsDtype dtype) {
        Map<String, HeaderEntry> entries = new LinkedHashMap<>();
        tensors.forEach((name, t) -> entries.put(name, new HeaderEntry(dtype, t.shape(), (long) t.data().length)));
        return header(entries, metadata);
    }

    private record HeaderEntry(SafetensorsDtype dtype, long[] shape, long elements) {}

    /** The JSON header, padded with spaces so the data starts at a multiple of 8 bytes. */
    private static byte[] header(Map<String, HeaderEntry> entries, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(Safetensors.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, HeaderEntry> entry : entries.entrySet()) {
            if (entry.getKey().equals(Safetensors.METADATA_KEY)) {
                throw new PerceptException("'" + Safetensors.METADATA_KEY + "' is reserved in safetensors and cannot name a tensor");
            }
            HeaderEntry e = entry.getValue();
            long bytes = e.elements() * e.dtype().elementSize();
            ObjectNode node = root.putObject(entry.getKey());
            node.put("dtype", e.dtype().name());
            ArrayNode shape = node.putArray("shape");
            Arrays.stream(e.shape()).forEach(shape::add);
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void writeValues(AtomicFile out, ByteBuffer chunk, float[] values, SafetensorsDtype dtype)
            throws IOException {
        for (int start = 0; start < values.length; start += CHUNK_ELEMENTS) {
            int n = Math.min(CHUNK_ELEMENTS, values.length - start);
            chunk.clear();
            switch (dtype) {
                case F32 -> chunk.asFloatBuffer().put(values, start, n);
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        chunk.putShort(2 * i, HalfFloats.floatToBfloat16(values[start + i]));
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        chunk.putShort(2 * i, HalfFloats.floatToHalf(values[start + i]));
                    }
                }
            }
            chunk.limit(n * dtype.elementSize());
            out.write(chunk);
        }
    }
}
