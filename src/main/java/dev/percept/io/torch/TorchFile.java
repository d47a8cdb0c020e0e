package dev.percept.io.torch;

import dev.percept.PerceptException;
import dev.percept.io.StoredTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch checkpoint ({@code torch.save}) read as data, never executed: the zip format (1.6 and
 * later) or the legacy format. The pickle goes through {@link RestrictedUnpickler}; storages are
 * slices of a read-only memory mapping of the file, and tensors are views of them, checked
 * against the bytes present before anything is allocated. Errors are {@link PerceptException}s
 * naming the file and the culprit.
 */
public final class TorchFile {
    /** A pickle larger than this is not a state dict's (those are kilobytes to a few MB). */
    static final long MAX_PICKLE_BYTES = 256L << 20;
    /** The legacy format's first pickle: protocol 2, LONG1 of 10 bytes, 0x1950a86a20f9469cfc6c, STOP. */
    private static final byte[] LEGACY_MAGIC = {
        (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8,
        0x50, 0x19, 0x2e
    };
    private static final long LEGACY_PROTOCOL = 1001;

    private final Path file;
    private final Object root;
    private final Map<String, ByteBuffer> storages;

    private TorchFile(Path file, Object root, Map<String, ByteBuffer> storages) {
        this.file = file;
        this.root = root;
        this.storages = storages;
    }

    public static TorchFile read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ZipDirectory.readAt(channel, 0, (int) Math.min(channel.size(), LEGACY_MAGIC.length));
            if (ZipDirectory.isZip(head)) {
                return readZip(file, channel);
            }
            if (head.equals(ByteBuffer.wrap(LEGACY_MAGIC))) {
                return readLegacy(file, channel);
            }
            throw new PerceptException(file + ": not a PyTorch checkpoint (neither the zip format of torch.save >= 1.6 "
                    + "nor the legacy format)");
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The unpickled object: {@code Map} (dict, OrderedDict), {@code List}, {@link PickleTuple},
     * {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code byte[]}, null (None),
     * {@link Namespace}, and opaque tensors (read them through {@link #stateDict}).
     */
    public Object root() {
        return root;
    }

    /**
     * The state dict's tensors by name, unwrapped as {@link StateDictSelector} describes.
     *
     * @param checkpointKey the top-level entry holding the weights, or null to find it
     */
    public Map<String, StoredTensor> stateDict(String checkpointKey) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        StateDictSelector.select(file.toString(), root, checkpointKey).forEach((name, t) ->
                out.put(name, new StoredTensor(file, name, t.dtype(), t.size(), t.stride(), t.offset(), storages.get(t.storage().key()))));
        return out;
    }

    private static TorchFile readZip(Path file, FileChannel channel) throws IOException {
        Map<String, ZipDirectory.Entry> entries = ZipDirectory.read(file, channel);
        List<String> pickles = entries.keySet().stream().filter(n -> n.equals("data.pkl") || n.endsWith("/data.pkl")).toList();
        if (pickles.size() != 1) {
            throw new PerceptException(file + ": a PyTorch zip checkpoint has one <prefix>/data.pkl, this one has "
                    + (pickles.isEmpty() ? "none" : pickles));
        }
        String prefix = pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
        ZipDirectory.Entry byteorder = entries.get(prefix + "byteorder");
        if (byteorder != null) {
            String order = StandardCharsets.US_ASCII.decode(map(file, channel, byteorder.offset(), Math.min(byteorder.size(), 16))).toString();
            if (!order.equals("little")) {
                throw new PerceptException(file + ": byteorder is '" + order + "'; only little-endian checkpoints are supported");
            }
        }
        ZipDirectory.Entry pickle = entries.get(pickles.get(0));
        if (pickle.size() > MAX_PICKLE_BYTES) {
            throw new PerceptException(file + ": " + pickle.name() + " has " + pickle.size() + " bytes, more than the "
                    + MAX_PICKLE_BYTES + " a state dict's pickle needs");
        }
        String source = file + " (" + pickle.name() + ")";
        List<StorageRef> refs = new ArrayList<>();
        Object root = RestrictedUnpickler.load(source, map(file, channel, pickle.offset(), pickle.size()), false, refs);
        PickleTree.check(source, root);
        Map<String, ByteBuffer> storages = new HashMap<>();
        for (StorageRef ref : refs) {
            ZipDirectory.Entry data = entries.get(prefix + "data/" + ref.key());
            if (data == null) {
                throw new PerceptException(file + ": storage " + ref.key() + " has no entry " + prefix + "data/" + ref.key());
            }
            checkDeclared(file, ref, data.size());
            if (!storages.containsKey(ref.key())) {
                storages.put(ref.key(), map(file, channel, data.offset(), data.size()));
            }
        }
        return new TorchFile(file, root, storages);
    }

    private static TorchFile readLegacy(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer in = map(file, channel, 0, Math.min(size, MAX_PICKLE_BYTES));
        in.position(LEGACY_MAGIC.length);
        String source = file + " (legacy format)";
        List<StorageRef> none = new ArrayList<>();
        Object protocol = RestrictedUnpickler.load(source, in, false, none);
        if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
            throw new PerceptException(source + ": protocol version " + protocol + ", expected " + LEGACY_PROTOCOL);
        }
        Object sysInfo = RestrictedUnpickler.load(source, in, false, none);
        if (!(sysInfo instanceof Map<?, ?> info) || !Boolean.TRUE.equals(info.get("little_endian"))) {
            throw new PerceptException(source + ": the system-info record does not say little_endian; only little-endian "
                    + "checkpoints are supported");
        }
        List<StorageRef> refs = new ArrayList<>();
        Object root = RestrictedUnpickler.load(source, in, true, refs);
        PickleTree.check(source, root);
        Object keys = RestrictedUnpickler.load(source, in, false, none);
        if (!(keys instanceof List<?> keyList) || !none.isEmpty()) {
            throw new PerceptException(source + ": the storage key record is not a list of keys");
        }
        Map<String, StorageRef> byKey = new HashMap<>();
        refs.forEach(r -> byKey.putIfAbsent(r.key(), r));
        Map<String, ByteBuffer> storages = new HashMap<>();
        long at = in.position();
        for (Object k : keyList) {
            StorageRef ref = k instanceof String s ? byKey.get(s) : null;
            if (ref == null) {
                throw new PerceptException(source + ": storage key " + RestrictedUnpickler.typeName(k) + " '" + k
                        + "' is listed but no tensor uses it");
            }
            if (at > size - 8) {
                throw new PerceptException(source + ": storage " + ref.key() + " starts past the end of the file (truncated)");
            }
            long numel = ZipDirectory.readAt(channel, at, 8).getLong(0);
            long bytes;
            try {
                bytes = numel < 0 ? -1 : Math.multiplyExact(numel, ref.dtype() == null ? 1L : ref.dtype().elementSize());
            } catch (ArithmeticException e) {
                bytes = -1;
            }
            if (bytes < 0 || bytes > size - at - 8) {
                throw new PerceptException(source + ": storage " + ref.key() + " claims " + numel + " elements, more than the "
                        + (size - at - 8) + " bytes left in the file (truncated)");
            }
            storages.put(ref.key(), map(file, channel, at + 8, bytes));
            at += 8 + bytes;
        }
        for (StorageRef ref : refs) {
            ByteBuffer data = storages.get(ref.key());
            if (data == null) {
                throw new PerceptException(source + ": storage " + ref.key() + " is used but not stored");
            }
            checkDeclared(file, ref, data.remaining());
        }
        return new TorchFile(file, root, storages);
    }

    private static void checkDeclared(Path file, StorageRef ref, long available) {
        if (ref.declaredBytes() > available) {
            throw new PerceptException(file + ": storage " + ref.key() + " declares " + ref.numel() + " elements ("
                    + ref.declaredBytes() + " bytes) but holds " + available + " bytes");
        }
    }

    private static ByteBuffer map(Path file, FileChannel channel, long offset, long length) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new PerceptException(file + ": a storage of " + length + " bytes; storages over 2 GiB are not supported");
        }
        if (length == 0) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN); // direct, as the mappings are
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
