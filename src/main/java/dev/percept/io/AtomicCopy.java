package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of files made the way every file here is written: under a temporary name, flushed to disk, renamed into place. */
public final class AtomicCopy {
    private AtomicCopy() {}

    /** Copies every file under {@code from} to the same relative path under {@code to}; a kill mid-copy leaves whole files only. */
    public static void tree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                file(f, to.resolve(from.relativize(f).toString()));
            }
        } catch (IOException e) {
            throw new PerceptException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    public static void file(Path from, Path to) {
        try (AtomicFile out = AtomicFile.create(to)) {
            out.write(ByteBuffer.wrap(Files.readAllBytes(from)));
            out.commit();
        } catch (IOException e) {
            throw new PerceptException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
