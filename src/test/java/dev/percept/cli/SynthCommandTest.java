package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheOptions() {
        String help = Main.commandLine().getSubcommands().get("synth").getUsageMessage();
        assertTrue(help.contains("--out=DIR") && help.contains("--seed=S") && help.contains("--size=small|medium"), help);
    }

    @Test
    void anUnknownSizeOrAWorldOfAnotherSeedIsAUserError() throws IOException {
        Cli size = Cli.run("synth", "--out", dir.resolve("w").toString(), "--seed", "1", "--size", "huge");
        assertEquals(2, size.exitCode());
        assertTrue(size.err().contains("error: unknown world size 'huge'"), size.err());

        Files.writeString(dir.resolve("world.json"), "{\"version\": 1, \"seed\": 5, \"size\": \"small\", \"counts\": {}}");
        Cli seed = Cli.run("synth", "--out", dir.toString(), "--seed", "6");
        assertEquals(2, seed.exitCode());
        assertTrue(seed.err().contains("seed 5") && seed.err().contains("seed 6"), seed.err());
        assertTrue(!seed.err().contains("\tat "), "no stack trace");
    }
}
