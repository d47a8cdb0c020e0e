package dev.percept.io.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus (pickles assembled by hand in tools/reference/make_torch_fixtures.py): each
 * file ends in one PerceptException naming the file and its culprit, and nothing it asks for runs.
 */
class HostileTorchFileTest {
    static final Path HOSTILE = TorchFileTest.FIXTURES.resolve("hostile");
    /** What the os.system, eval and Popen pickles would create if anything in them ran. */
    static final Path MARKER = Path.of("/tmp/percept-torch-fixture-ran");

    @BeforeAll
    static void noMarkerYet() throws IOException {
        Files.deleteIfExists(MARKER);
    }

    static Stream<String> files() {
        List<String> names = new ArrayList<>();
        JsonFiles.readObject(HOSTILE.resolve("culprits.json")).fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void refusedWithOneLineNamingFileAndCulprit(String name) {
        JsonNode culprits = JsonFiles.readObject(HOSTILE.resolve("culprits.json"));
        Path file = HOSTILE.resolve(name);
        PerceptException e = assertThrows(PerceptException.class, () -> TorchFile.read(file).stateDict(null));
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains(culprits.get(name).asText()), message);
        assertFalse(message.contains("\n"), message);
        System.out.println("hostile " + name + ": " + message);
        assertFalse(Files.exists(MARKER), "a pickle ran code: " + MARKER + " exists");
    }

    @Test
    void everyHostileFileIsListed() throws IOException {
        try (Stream<Path> s = Files.list(HOSTILE)) {
            List<String> pth = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pth")).sorted().toList();
            assertEquals(files().sorted().toList(), pth);
        }
    }
}
