package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Text files written atomically: readers see the old file or the whole new one. */
public final class TextFiles {
    private TextFiles() {}

    public static void write(Path file, String text) {
        try (AtomicFile out = AtomicFile.create(file)) {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            out.commit();
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
