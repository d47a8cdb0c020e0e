package dev.percept.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.io.JsonFiles;
import dev.percept.tensor.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end on the bundled stand-in (several minutes: tagged slow). */
@Tag("slow")
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoAlignsEvaluatesAndReportsThenReusesItsWork() throws IOException {
        Engine.start(0);
        ModelStore store = new ModelStore(HubSettings.fromEnvironment().withOffline(true), KnownModels.DEFAULT);
        Demo.Settings settings = new Demo.Settings(dir, Path.of("demo/standin").toAbsolutePath(), 1, 1, 96, 1e-3, store,
                new PrintStream(new ByteArrayOutputStream()));
        Demo.run(settings);
        JsonNode compare = JsonFiles.readObject(dir.resolve("compare.json"));
        assertEquals(6, compare.get("models").size(), "base and five aligned variants");
        assertTrue(Files.size(dir.resolve("report.html")) > 10_000);
        assertEquals(2, JsonFiles.readObject(dir.resolve("compare-patch.json")).get("models").size(),
                "base and the patch-level model, both on cls_patch");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.indexOf("class=\"findings\"") < html.indexOf("Example judgments")
                && html.indexOf("Example judgments") < html.indexOf("<h2>Provenance</h2>"));
        for (String v : new String[] {"nights", "nights-patch", "bapps", "things", "imagenet"}) {
            assertTrue(Files.isRegularFile(dir.resolve("runs").resolve(v).resolve("adapter/adapter_model.safetensors")), v);
            assertTrue(Files.isRegularFile(dir.resolve("results/2afc-" + v + ".json")), v);
            assertEquals("[\"qkv\",\"proj\",\"fc1\",\"fc2\"]", JsonFiles.readObject(dir.resolve("runs").resolve(v)
                    .resolve("adapter/adapter_config.json")).get("target_modules").toString(),
                    v + ": the demo's LoRA covers every linear of a block");
        }
        long before = Files.getLastModifiedTime(dir.resolve("runs/nights/adapter/adapter_model.safetensors")).toMillis();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Demo.run(new Demo.Settings(dir, settings.standin(), 1, 1, 96, 1e-3, store, new PrintStream(log, true)));
        assertTrue(log.toString().contains("nights: reusing"), log.toString());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("runs/nights/adapter/adapter_model.safetensors")).toMillis());
    }
}
