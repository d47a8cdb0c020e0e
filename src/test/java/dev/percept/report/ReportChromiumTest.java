package dev.percept.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser sees it: Debian's headless Chromium (installed by .ci/run) loads the file,
 * runs its script, decodes its images and renders it; no script error, no console message.
 */
@Tag("browser")
class ReportChromiumTest {
    @TempDir
    Path dir;

    @Test
    void rendersWithEveryImageDecodedAndNoScriptErrors() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path compare = ReportFixtures.write(dir.resolve("compare.json"), ReportFixtures.compare(dir.resolve("img")));
        Path rag = ReportFixtures.write(dir.resolve("rag.json"), ReportFixtures.rag());
        Path report = dir.resolve("report.html");
        HtmlReport.write(ResultFiles.read(List.of(compare, rag)), "Rendered report", report);

        Run dom = chromium("--dump-dom", report.toUri().toString());
        String html = dom.stdout();
        assertTrue(html.contains("<title>Rendered report</title>"), html); // the hostile label did not run
        assertEquals(3, count(html, "<table class=\"results\">"));
        assertEquals(3, count(html, "<svg"));
        assertEquals(14, count(html, "<img ")); // 2 queries, each with top 3 for 2 models
        assertTrue(html.contains("data-images-total=\"14\""), html);
        assertTrue(html.contains("data-images-ok=\"14\""), "not every image decoded: " + attribute(html, "data-images-ok"));
        assertTrue(html.contains("data-script-errors=\"\""), "script errors: " + attribute(html, "data-script-errors"));
        assertTrue(html.contains("id=\"image-warning\" hidden"));
        List<String> console = dom.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertEquals(List.of(), console);

        Path png = dir.resolve("shot.png");
        chromium("--window-size=1000,700", "--screenshot=" + png, report.toUri().toString());
        BufferedImage shot = ImageIO.read(png.toFile());
        assertEquals(1000, shot.getWidth());
        assertTrue(darkPixels(shot) > 2000, "the page looks blank"); // title, provenance and table text
    }

    private record Run(String stdout, String stderr) {}

    private Run chromium(String... args) throws Exception {
        List<String> command = HeadlessChromium.command(dir.resolve("profile"), "--enable-logging=stderr", "--v=0");
        command.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            HeadlessChromium.stop(p);
            throw new AssertionError("chromium did not finish within 60 s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        return new Run(Files.readString(out), Files.readString(err));
    }

    private static int darkPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff) < 200) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String attribute(String html, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : "(absent)";
    }

    private static int count(String s, String needle) {
        return s.split(Pattern.quote(needle), -1).length - 1;
    }
}
