package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.hub.KnownModel;
import dev.percept.hub.KnownModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelCommandsTest {

    @TempDir
    Path cache;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void modelsListsEveryKnownNameWithItsRepo() {
        assertEquals(0, run("models", "--cache-dir", cache.toString()));

        String text = out.toString();
        assertTrue(text.startsWith("Model cache: " + cache), text);
        for (KnownModel m : KnownModels.DEFAULT.all()) {
            assertTrue(text.contains(m.name()), m.name());
            if (m.isOnHub()) {
                assertTrue(text.contains(m.repo()), m.repo());
            }
        }
        assertTrue(text.contains("dino_vitb16 + clip_vitb16 + open_clip_vitb16"), text);
    }

    @Test
    void pullOfAnUnknownNameFailsWithExitCode2() {
        assertEquals(2, run("pull", "dino_vitb99", "--cache-dir", cache.toString(), "--offline"));

        assertTrue(err.toString().startsWith("error: unknown model name dino_vitb99 (known: "), err.toString());
    }

    @Test
    void pullOfSynclrExplainsTheConversion() {
        assertEquals(2, run("pull", "synclr_vitb16", "--cache-dir", cache.toString(), "--offline"));

        assertTrue(err.toString().contains("syn-rep-learn"), err.toString());
    }

    @Test
    void offlinePullOfAnUncachedModelNamesTheCommandToFetchIt() {
        assertEquals(2, run("pull", "dino_vitb16", "--cache-dir", cache.toString(), "--offline"));

        assertTrue(err.toString().contains("percept pull dino_vitb16"), err.toString());
    }
}
