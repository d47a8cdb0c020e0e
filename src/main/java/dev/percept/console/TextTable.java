package dev.percept.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal that never exceeds {@link #WIDTH} columns: the first column
 * names the row (left-aligned, shortened when too long), the others are right-aligned values; when
 * they do not fit side by side they continue in further blocks under the same row names.
 */
public final class TextTable {
    /** The widest line any table or title prints. */
    public static final int WIDTH = 100;
    private static final int GAP = 2;
    private static final int MAX_NAME = 40;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a table needs a first column");
        }
        this.header = List.copyOf(header);
    }

    public TextTable(String... header) {
        this(List.of(header));
    }

    public TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public TextTable row(String... cells) {
        return row(List.of(cells));
    }

    /** The table, each line ending in a newline and at most {@link #WIDTH} characters long. */
    public String render() {
        int nameWidth = header.get(0).length();
        for (List<String> r : rows) {
            nameWidth = Math.max(nameWidth, r.get(0).length());
        }
        nameWidth = Math.min(nameWidth, MAX_NAME);
        int room = WIDTH - nameWidth;
        List<Integer> widths = new ArrayList<>();
        for (int c = 1; c < header.size(); c++) {
            int w = header.get(c).length();
            for (List<String> r : rows) {
                w = Math.max(w, r.get(c).length());
            }
            widths.add(Math.min(w, room - GAP));
        }
        StringBuilder out = new StringBuilder();
        int first = 1;
        do {
            int last = first;
            int used = 0;
            while (last < header.size() && (last == first || used + GAP + widths.get(last - 1) <= room)) {
                used += GAP + widths.get(last - 1);
                last++;
            }
            if (first > 1) {
                out.append('\n');
            }
            line(out, header, nameWidth, widths, first, last);
            for (List<String> r : rows) {
                line(out, r, nameWidth, widths, first, last);
            }
            first = last;
        } while (first < header.size());
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int nameWidth, List<Integer> widths, int first, int last) {
        StringBuilder s = new StringBuilder(pad(shorten(cells.get(0), nameWidth), nameWidth, false));
        for (int c = first; c < last; c++) {
            s.append(" ".repeat(GAP)).append(pad(shorten(cells.get(c), widths.get(c - 1)), widths.get(c - 1), true));
        }
        out.append(s.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    /** {@code text} cut to {@code width} characters, its middle replaced by "...". */
    public static String shorten(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        if (width <= 3) {
            return text.substring(0, width);
        }
        int keep = width - 3;
        int head = keep / 2;
        return text.substring(0, head) + "..." + text.substring(text.length() - (keep - head));
    }

    /** A title line cut to {@link #WIDTH}, with a newline. */
    public static String title(String text) {
        return shorten(text, WIDTH) + "\n";
    }
}
