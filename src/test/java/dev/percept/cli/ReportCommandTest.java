package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept report` as a user runs it. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private static final String RESULT = """
            {"task": "rag", "dataset": "dtd", "model": "dino_vitb16", "adapter": null, "features": "cls",
             "metrics": {"accuracy": {"value": 0.5, "ci_low": 0.4, "ci_high": 0.6, "higher_is_better": true}}}
            """;

    @Test
    void writesOneHtmlFileFromEvalResults() throws IOException {
        Path in = Files.writeString(dir.resolve("rag.json"), RESULT);
        Path out = dir.resolve("report.html");
        Cli r = Cli.run("report", "--in", in.toString(), "--out", out.toString(), "--title", "DTD & co");
        assertEquals(0, r.exitCode(), r.err());
        String html = Files.readString(out);
        assertTrue(html.contains("<h1>DTD &amp; co</h1>"));
        assertTrue(html.contains("<td>dino_vitb16</td>"));
    }

    @Test
    void aMalformedResultIsOneErrorLineNamingFileAndKey() throws IOException {
        Path in = Files.writeString(dir.resolve("rag.json"), RESULT.replace("\"ci_high\": 0.6, ", ""));
        Path out = dir.resolve("report.html");
        Cli r = Cli.run("report", "--in", in.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertEquals("error: " + in + ": metrics.accuracy is missing key 'ci_high'", r.err().strip());
        assertFalse(Files.exists(out));
    }
}
