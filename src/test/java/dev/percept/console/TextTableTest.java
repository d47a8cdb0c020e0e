package dev.percept.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Terminal tables never exceed 100 columns, whatever they hold. */
class TextTableTest {
    @Test
    void aSmallTableIsLaidOutInOneBlock() {
        String t = new TextTable("metric", "base", "aligned").row("mae v", "1.2870 ", "1.1650*").render();
        assertEquals("""
                metric     base  aligned
                mae v   1.2870   1.1650*
                """, t);
    }

    @Test
    void manyColumnsContinueInBlocksUnderTheSameRowNames() {
        List<String> header = new ArrayList<>(List.of("metric"));
        for (int m = 0; m < 12; m++) {
            header.add("model-number-" + m);
        }
        TextTable table = new TextTable(header);
        for (String metric : List.of("counting mae v", "segmentation pixel_accuracy ^")) {
            List<String> row = new ArrayList<>(List.of(metric));
            for (int m = 0; m < 12; m++) {
                row.add("0.1234*");
            }
            table.row(row);
        }
        String text = table.render();
        List<String> lines = text.lines().toList();
        lines.forEach(l -> assertTrue(l.length() <= TextTable.WIDTH, l.length() + ": " + l));
        assertTrue(lines.stream().anyMatch(l -> l.length() > 90), "blocks use the width they have");
        // Every model appears once in a header, every block repeats the row names.
        for (int m = 0; m < 12; m++) {
            String name = "model-number-" + m + " ";
            assertEquals(1, lines.stream().filter(l -> (l + " ").contains(name)).count(), name);
        }
        assertEquals(lines.stream().filter(l -> l.startsWith("metric")).count(),
                lines.stream().filter(l -> l.startsWith("counting mae v")).count());
        assertTrue(lines.stream().filter(l -> l.startsWith("metric")).count() >= 2);
    }

    @Test
    void longNamesAndTitlesAreShortenedInTheMiddle() {
        String path = "/a/very/long/path/" + "x".repeat(150) + "/dataset";
        String t = new TextTable("row", "value").row(path, "1").render();
        t.lines().forEach(l -> assertTrue(l.length() <= TextTable.WIDTH, l));
        assertTrue(t.contains("...") && t.contains("/a/very/") && t.contains("/dataset"), t);
        String title = TextTable.title("on " + path);
        assertEquals(TextTable.WIDTH + 1, title.length());
        assertTrue(title.startsWith("on /a/very") && title.endsWith("/dataset\n"), title);
    }
}
