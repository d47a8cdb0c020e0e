package dev.percept.io.torch;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of a zip archive as {@code torch.save} writes it, read from the central directory
 * (local headers carry data descriptors, so their sizes are not trusted): every entry must be
 * STORED, and each maps to the byte range of its data in the file. ZIP64 records are followed
 * for archives over 4 GiB. Nothing is decompressed and no entry is extracted.
 */
final class ZipDirectory {
    private static final int EOCD = 0x06054b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int MAX_ENTRIES = 1 << 20;

    /** An entry's data: {@code size} bytes from {@code offset} in the file. */
    record Entry(String name, long offset, long size) {}

    private ZipDirectory() {}

    static boolean isZip(ByteBuffer head) {
        return head.remaining() >= 4 && head.order(ByteOrder.LITTLE_ENDIAN).getInt(head.position()) == LOCAL;
    }

    /** The entries by name, in directory order. */
    static Map<String, Entry> read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        int tailSize = (int) Math.min(fileSize, 22 + 65535);
        ByteBuffer tail = readAt(channel, fileSize - tailSize, tailSize);
        int eocd = -1;
        for (int i = tailSize - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw bad(file, "no end-of-central-directory record (truncated or not a zip)");
        }
        long count = Short.toUnsignedLong(tail.getShort(eocd + 10));
        long directorySize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
        long directoryOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
        if (count == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
            long locatorAt = fileSize - tailSize + eocd - 20;
            if (locatorAt < 0) {
                throw bad(file, "ZIP64 end-of-central-directory locator missing");
            }
            ByteBuffer locator = readAt(channel, locatorAt, 20);
            if (locator.getInt(0) != EOCD64_LOCATOR) {
                throw bad(file, "ZIP64 end-of-central-directory locator missing");
            }
            long recordAt = locator.getLong(8);
            if (recordAt < 0 || recordAt > fileSize - 56) {
                throw bad(file, "ZIP64 end-of-central-directory record lies outside the file");
            }
            ByteBuffer record = readAt(channel, recordAt, 56);
            if (record.getInt(0) != EOCD64) {
                throw bad(file, "ZIP64 end-of-central-directory record missing");
            }
            count = record.getLong(32);
            directorySize = record.getLong(40);
            directoryOffset = record.getLong(48);
        }
        if (count < 0 || count > MAX_ENTRIES) {
            throw bad(file, "central directory claims " + count + " entries");
        }
        if (directoryOffset < 0 || directorySize < 0 || directorySize > Integer.MAX_VALUE
                || directoryOffset > fileSize - directorySize) {
            throw bad(file, "central directory (" + directorySize + " bytes at " + directoryOffset + ") lies outside the file");
        }
        ByteBuffer directory = readAt(channel, directoryOffset, (int) directorySize);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int at = 0;
        for (long n = 0; n < count; n++) {
            if (at > directory.limit() - 46 || directory.getInt(at) != CENTRAL) {
                throw bad(file, "central directory entry " + n + " is malformed");
            }
            int method = Short.toUnsignedInt(directory.getShort(at + 10));
            long compressed = Integer.toUnsignedLong(directory.getInt(at + 20));
            long size = Integer.toUnsignedLong(directory.getInt(at + 24));
            int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
            long localAt = Integer.toUnsignedLong(directory.getInt(at + 42));
            int end = at + 46 + nameLength + extraLength + commentLength;
            if (end > directory.limit() || end < 0) {
                throw bad(file, "central directory entry " + n + " runs past the directory");
            }
            String name = new String(bytes(directory, at + 46, nameLength), StandardCharsets.UTF_8);
            if (size == 0xFFFFFFFFL || compressed == 0xFFFFFFFFL || localAt == 0xFFFFFFFFL) {
                long[] wide = zip64(file, directory, at + 46 + nameLength, extraLength, name,
                        size == 0xFFFFFFFFL, compressed == 0xFFFFFFFFL, localAt == 0xFFFFFFFFL);
                size = size == 0xFFFFFFFFL ? wide[0] : size;
                compressed = compressed == 0xFFFFFFFFL ? wide[1] : compressed;
                localAt = localAt == 0xFFFFFFFFL ? wide[2] : localAt;
            }
            if (method != 0 || compressed != size) {
                throw bad(file, "entry " + name + " is compressed (method " + method + "); torch.save stores entries uncompressed");
            }
            entries.put(name, new Entry(name, dataOffset(file, channel, name, localAt, size), size));
            at = end;
        }
        return entries;
    }

    /** The ZIP64 extended-information fields present for this entry: size, compressed size, local offset. */
    private static long[] zip64(Path file, ByteBuffer directory, int start, int length, String name,
            boolean hasSize, boolean hasCompressed, boolean hasOffset) {
        int at = start;
        while (at + 4 <= start + length) {
            int id = Short.toUnsignedInt(directory.getShort(at));
            int fieldLength = Short.toUnsignedInt(directory.getShort(at + 2));
            if (at + 4 + fieldLength > start + length) {
                break;
            }
            if (id == 0x0001) {
                long[] out = new long[3];
                int p = at + 4;
                boolean[] present = {hasSize, hasCompressed, hasOffset};
                for (int i = 0; i < 3; i++) {
                    if (present[i]) {
                        if (p + 8 > at + 4 + fieldLength) {
                            throw bad(file, "entry " + name + " has a short ZIP64 field");
                        }
                        out[i] = directory.getLong(p);
                        if (out[i] < 0) {
                            throw bad(file, "entry " + name + " has a ZIP64 size or offset beyond 2^63");
                        }
                        p += 8;
                    }
                }
                return out;
            }
            at += 4 + fieldLength;
        }
        throw bad(file, "entry " + name + " needs a ZIP64 field but has none");
    }

    private static long dataOffset(Path file, FileChannel channel, String name, long localAt, long size) throws IOException {
        long fileSize = channel.size();
        if (localAt > fileSize - 30) {
            throw bad(file, "entry " + name + " has its local header beyond the end of the file");
        }
        ByteBuffer local = readAt(channel, localAt, 30);
        if (local.getInt(0) != LOCAL) {
            throw bad(file, "entry " + name + " has no local header at offset " + localAt);
        }
        long data = localAt + 30 + Short.toUnsignedInt(local.getShort(26)) + Short.toUnsignedInt(local.getShort(28));
        if (data > fileSize || size > fileSize - data) {
            throw bad(file, "entry " + name + " (" + size + " bytes at " + data + ") runs past the end of the file ("
                    + fileSize + " bytes): truncated");
        }
        return data;
    }

    private static byte[] bytes(ByteBuffer b, int at, int length) {
        byte[] out = new byte[length];
        b.get(at, out);
        return out;
    }

    /** {@code length} bytes of the file from {@code position}, little-endian. */
    static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static PerceptException bad(Path file, String what) {
        return new PerceptException(file + ": not a readable PyTorch zip checkpoint: " + what);
    }
}
