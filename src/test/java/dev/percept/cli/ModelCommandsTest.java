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
    void modelsListsDreamSimsReleasesAndTheirCache() {
        Path dreamsim = cache.resolve("dreamsim");
        assertEquals(0, run("models", "--cache-dir", cache.toString(), "--dreamsim-cache", dreamsim.toString()));

        String text = out.toString();
        assertTrue(text.contains("DreamSim cache: " + dreamsim), text);
        assertTrue(text.contains("dreamsim_dinov2_vitb14_patch"), text);
        assertTrue(text.contains("DreamSim release v0.2.1-checkpoints"), text);
    }

    @Test
    void offlinePullOfADreamSimReleaseNamesItsCacheAndTheCommand() {
        Path dreamsim = cache.resolve("dreamsim");
        assertEquals(2, run("pull", "dreamsim", "--cache-dir", cache.toString(), "--dreamsim-cache", dreamsim.toString(),
                "--offline"));

        assertTrue(err.toString().startsWith("error: offline (--offline or HF_HUB_OFFLINE): ensemble_lora/adapter_config.json"
                + " of dreamsim is not in the DreamSim cache " + dreamsim), err.toString());
        assertTrue(err.toString().contains("percept pull dreamsim"), err.toString());
    }

    @Test
    void aDreamSimNameIsAWholeModelNotAnEnsembleEntry() {
        assertEquals(2, run("distance", "--model", "dreamsim,dino_vitb16", "--cache-dir", cache.toString(),
                "--offline", "a.png", "b.png"));

        assertTrue(err.toString().contains("dreamsim is a whole DreamSim model; it cannot be one entry of --model"),
                err.toString());
    }

    @Test
    void aDreamSimModelIsNotAlignedAgain() {
        assertEquals(2, run("align", "--model", "dreamsim", "--data", cache.toString(), "--out", cache.resolve("run").toString()));

        assertTrue(err.toString().contains("dreamsim is one of DreamSim's released, already aligned models"), err.toString());
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
