package dev.percept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * libtorch stays in one layer: only {@code dev.percept.tensor} and {@code dev.percept.model}
 * mention the engine ({@code org.bytedeco}); everything above works through their kernels. And
 * native memory kept beyond a scope is kept in one place ({@code NativeOwner}), not by
 * hand-rolled reference counting.
 */
class NativeLayerTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/percept");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static boolean inEngineLayer(Path file) {
        Path relative = SOURCES.relativize(file);
        return relative.startsWith("tensor") || relative.startsWith("model");
    }

    private static List<String> mentioning(String text, boolean engineLayer) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (Path f : sources()) {
            if (inEngineLayer(f) == engineLayer && Files.readString(f).contains(text)) {
                out.add(SOURCES.relativize(f).toString());
            }
        }
        return out;
    }

    @Test
    void onlyTensorAndModelMentionTheEngine() throws IOException {
        assertTrue(sources().size() > 100, "found the sources under " + SOURCES.toAbsolutePath());
        assertEquals(List.of(), mentioning("org.bytedeco", false));
        assertTrue(!mentioning("org.bytedeco", true).isEmpty(), "the engine layer itself is seen");
    }

    @Test
    void onlyNativeOwnerCountsReferences() throws IOException {
        List<String> retaining = new java.util.ArrayList<>(mentioning("retainReference", true));
        retaining.addAll(mentioning("retainReference", false));
        assertEquals(List.of("tensor/NativeOwner.java"), retaining);
    }
}
