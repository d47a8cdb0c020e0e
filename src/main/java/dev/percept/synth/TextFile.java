package dev.percept.synth;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The datasets' text lists and CSVs (UTF-8). */
final class TextFile {
    private TextFile() {}

    static void write(Path file, CharSequence text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
