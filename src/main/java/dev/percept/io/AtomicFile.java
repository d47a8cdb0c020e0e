package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file written under a temporary name in the target's directory and renamed into place on
 * {@link #commit()}, so readers never see a half-written file. Closing without a commit deletes
 * the temporary file, unless it is {@link #resumable}: then it stays for a later run to continue.
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final boolean keepOnClose;
    private boolean done;

    private AtomicFile(Path target, Path temp, FileChannel channel, boolean keepOnClose) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.keepOnClose = keepOnClose;
    }

    static AtomicFile create(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
            // rw-r--r-- before the umask, as for any new file (createTempFile alone gives rw-------).
            Path temp = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))
                    : Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            return new AtomicFile(target, temp, FileChannel.open(temp, StandardOpenOption.WRITE), false);
        } catch (IOException e) {
            throw new PerceptException("cannot write " + target + ": " + e, e);
        }
    }

    /**
     * The partial file {@link #partialOf target}, opened without truncation: what an interrupted
     * run left there is kept, and so is what this one leaves if it ends without a commit.
     */
    static AtomicFile resumable(Path target) {
        Path temp = partialOf(target);
        try {
            Files.createDirectories(temp.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return new AtomicFile(target, temp, channel, true);
        } catch (IOException e) {
            throw new PerceptException("cannot write " + temp + ": " + e, e);
        }
    }

    /** Where a resumable write keeps its unfinished bytes. */
    static Path partialOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    FileChannel channel() {
        return channel;
    }

    /** Whether {@link #close()} without a commit keeps the partial file for a later run. */
    boolean resumable() {
        return keepOnClose;
    }

    Path temp() {
        return temp;
    }

    Path target() {
        return target;
    }

    /** Appends all remaining bytes of {@code buffer}. */
    void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Flushes the data to disk and renames the temporary file onto the target. */
    void commit() {
        try {
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (IOException e) {
            throw new PerceptException("cannot write " + target + ": " + e, e);
        } finally {
            if (!done) {
                close();
            }
        }
    }

    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
            if (!keepOnClose) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new PerceptException("cannot remove temporary file " + temp + ": " + e, e);
        }
    }
}
