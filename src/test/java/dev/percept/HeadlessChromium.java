package dev.percept;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's headless Chromium for the browser-tagged tests: its command line and a clean stop. */
public final class HeadlessChromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {}

    /** Skips the calling test where Chromium is not installed (.ci/run installs it). */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "headless Chromium not installed at " + BINARY + " (apt-get install chromium; .ci/run does it)");
    }

    /** The command line, headless and offline, profile in {@code profile}, then {@code args}; the caller may extend it. */
    public static List<String> command(Path profile, String... args) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Kills Chromium with its zygote, renderer and utility children and waits for all of them: a
     * child left running keeps writing into the profile folder while JUnit deletes the temp dir.
     */
    public static void stop(Process chromium) throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(chromium.descendants().toList());
        tree.add(chromium.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
