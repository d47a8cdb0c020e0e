package dev.percept.hub;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a downloaded zip without trusting it: every entry name must be a plain relative path
 * that stays inside the target folder (no {@code ..}, no absolute path, no drive letter, no
 * backslash), symlinks and other special files are refused, the entry count and the entry and
 * total sizes are bounded, a high compression ratio (a zip bomb) is refused, sizes are enforced
 * while the bytes are written (a lying header does not help), and each entry's CRC-32 is checked.
 */
final class SafeUnzip {

    /**
     * @param maxEntries most entries a zip may hold
     * @param maxEntryBytes largest unpacked entry
     * @param maxTotalBytes largest unpacked total
     * @param maxRatio largest unpacked-to-packed ratio for an entry above {@code ratioFloor} bytes
     */
    record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {
        // DreamSim's largest zip (the ensemble) is about 1.3 GB and holds a dozen files.
        static final Limits RELEASE = new Limits(1000, 8L << 30, 16L << 30, 200);
        static final long RATIO_FLOOR = 1 << 20;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int UNIX = 3;

    private SafeUnzip() {}

    /** Unpacks {@code zip} into {@code target} (created if needed); returns the number of files written. */
    static int unpack(Path zip, Path target, Limits limits) {
        Set<String> special = specialEntries(zip, limits);
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            if (file.size() > limits.maxEntries()) {
                throw refuse(zip, "it has " + file.size() + " entries, more than " + limits.maxEntries());
            }
            Path root = target.toAbsolutePath().normalize();
            // Every entry is checked before the first byte is written.
            List<ZipEntry> entries = Collections.list(file.entries()).stream().map(ZipEntry.class::cast).toList();
            Set<Path> seen = new HashSet<>();
            for (ZipEntry entry : entries) {
                check(entry, special, root, seen, limits, zip);
            }
            Files.createDirectories(root);
            long total = 0;
            int files = 0;
            for (ZipEntry entry : entries) {
                Path out = resolve(root, entry.getName(), zip);
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total += copy(file, entry, out, Math.min(limits.maxEntryBytes(), limits.maxTotalBytes() - total), zip);
                files++;
            }
            return files;
        } catch (ZipException | IllegalArgumentException e) {
            throw refuse(zip, "it is not a readable zip (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new PerceptException("cannot unpack " + zip + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void check(ZipEntry entry, Set<String> special, Path root, Set<Path> seen, Limits limits, Path zip) {
        String name = entry.getName();
        if (special.contains(name)) {
            throw refuse(zip, "entry " + name + " is a symlink or another special file");
        }
        if (!seen.add(resolve(root, name, zip))) {
            throw refuse(zip, "entry " + name + " appears twice");
        }
        long declared = entry.getSize();
        if (declared > limits.maxEntryBytes()) {
            throw refuse(zip, "entry " + name + " unpacks to " + declared + " bytes, more than " + limits.maxEntryBytes());
        }
        long packed = entry.getCompressedSize();
        if (declared > Limits.RATIO_FLOOR && packed > 0 && declared / packed > limits.maxRatio()) {
            throw refuse(zip, "entry " + name + " expands " + declared / packed + " times (" + packed + " to "
                    + declared + " bytes): a zip bomb");
        }
    }

    /** Copies one entry, stopping at {@code budget} bytes or at its declared size; checks the CRC. */
    private static long copy(ZipFile file, ZipEntry entry, Path out, long budget, Path zip) throws IOException {
        long declared = entry.getSize();
        long limit = declared >= 0 ? Math.min(declared, budget) : budget;
        CRC32 crc = new CRC32();
        long written = 0;
        try (InputStream in = file.getInputStream(entry);
                OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > limit) {
                    throw refuse(zip, "entry " + entry.getName() + " unpacks to more than " + limit
                            + " bytes (its declared size or the size limits)");
                }
                crc.update(buffer, 0, n);
                o.write(buffer, 0, n);
            }
        }
        if (declared >= 0 && written != declared) {
            throw refuse(zip, "entry " + entry.getName() + " holds " + written + " bytes, not the " + declared
                    + " it declares");
        }
        if (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
            throw refuse(zip, "entry " + entry.getName() + " fails its CRC-32 check: the download is damaged");
        }
        return written;
    }

    /** The path of an entry inside {@code root}, or an error if the name could leave it. */
    private static Path resolve(Path root, String name, Path zip) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0
                || (name.length() > 1 && name.charAt(1) == ':')) {
            throw refuse(zip, "entry name '" + name + "' is absolute or not a plain relative path");
        }
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String part : trimmed.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw refuse(zip, "entry name '" + name + "' leaves the target folder or has an empty part");
            }
        }
        Path out = root.resolve(trimmed).normalize();
        if (!out.startsWith(root) || out.equals(root)) {
            throw refuse(zip, "entry name '" + name + "' leaves the target folder");
        }
        return out;
    }

    /**
     * Names of entries that Unix attributes mark as neither regular files nor folders (symlinks,
     * devices, pipes). {@link ZipFile} does not expose these attributes, so the central directory
     * is read here.
     */
    private static Set<String> specialEntries(Path zip, Limits limits) {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 22 + 0xFFFF);
            ByteBuffer end = read(ch, size - tail, tail);
            int eocd = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == 0x06054b50) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw refuse(zip, "it is not a zip (no end of central directory)");
            }
            long count = end.getShort(eocd + 10) & 0xFFFF;
            long cdSize = end.getInt(eocd + 12) & 0xFFFFFFFFL;
            long cdOffset = end.getInt(eocd + 16) & 0xFFFFFFFFL;
            if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
                long[] z64 = zip64(ch, size - tail + eocd, zip);
                count = z64[0];
                cdSize = z64[1];
                cdOffset = z64[2];
            }
            if (count > limits.maxEntries()) {
                throw refuse(zip, "it has " + count + " entries, more than " + limits.maxEntries());
            }
            if (cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) {
                throw refuse(zip, "its central directory lies outside the file");
            }
            ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
            Set<String> special = new HashSet<>();
            int p = 0;
            for (long i = 0; i < count; i++) {
                if (p + 46 > cd.limit() || cd.getInt(p) != 0x02014b50) {
                    throw refuse(zip, "its central directory is damaged at entry " + i);
                }
                int madeBy = (cd.getShort(p + 4) & 0xFFFF) >>> 8;
                int nameLength = cd.getShort(p + 28) & 0xFFFF;
                int extraLength = cd.getShort(p + 30) & 0xFFFF;
                int commentLength = cd.getShort(p + 32) & 0xFFFF;
                int mode = cd.getInt(p + 38) >>> 16;
                if (p + 46 + nameLength > cd.limit()) {
                    throw refuse(zip, "its central directory is damaged at entry " + i);
                }
                byte[] name = new byte[nameLength];
                cd.get(p + 46, name);
                int type = mode & S_IFMT;
                if (madeBy == UNIX && type != 0 && type != S_IFREG && type != S_IFDIR) {
                    special.add(new String(name, StandardCharsets.UTF_8));
                }
                p += 46 + nameLength + extraLength + commentLength;
            }
            return special;
        } catch (IOException e) {
            throw new PerceptException("cannot read " + zip + ": " + e.getMessage(), e);
        }
    }

    /** Entry count, central directory size and offset from the zip64 end record. */
    private static long[] zip64(FileChannel ch, long eocdAt, Path zip) throws IOException {
        if (eocdAt < 20) {
            throw refuse(zip, "its zip64 locator is missing");
        }
        ByteBuffer locator = read(ch, eocdAt - 20, 20);
        if (locator.getInt(0) != 0x07064b50) {
            throw refuse(zip, "its zip64 locator is missing");
        }
        long at = locator.getLong(8);
        if (at < 0 || at + 56 > ch.size()) {
            throw refuse(zip, "its zip64 end record lies outside the file");
        }
        ByteBuffer record = read(ch, at, 56);
        if (record.getInt(0) != 0x06064b50) {
            throw refuse(zip, "its zip64 end record is damaged");
        }
        return new long[] {record.getLong(32), record.getLong(40), record.getLong(48)};
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        return b;
    }

    private static PerceptException refuse(Path zip, String why) {
        return new PerceptException("refusing to unpack " + zip + ": " + why);
    }
}
