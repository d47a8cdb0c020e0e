package dev.percept.data;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A comma-separated file with a header row (RFC 4180 quoting: fields in double quotes may hold
 * commas, newlines and doubled quotes). Columns are found by header name, never by position.
 */
public final class Csv {
    private final Path file;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<String[]> rows;
    private final List<Integer> lines;

    private Csv(Path file, List<String> header, List<String[]> rows, List<Integer> lines) {
        this.file = file;
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).strip(), i);
        }
        this.rows = rows;
        this.lines = lines;
    }

    public static Csv read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String[]> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                if (!(record.size() == 1 && record.get(0).isEmpty())) {
                    records.add(record.toArray(String[]::new));
                    lines.add(recordLine);
                }
                record.clear();
                line++;
                recordLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new PerceptException(file + ": line " + recordLine + ": a quoted field is not closed");
        }
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record.toArray(String[]::new));
            lines.add(recordLine);
        }
        if (records.isEmpty()) {
            throw new PerceptException(file + " is empty: expected a header row");
        }
        List<String> header = List.of(records.get(0));
        return new Csv(file, header, records.subList(1, records.size()), lines.subList(1, lines.size()));
    }

    public Path file() {
        return file;
    }

    public int size() {
        return rows.size();
    }

    /** Fails naming every column in {@code names} that the header lacks. */
    public void require(String... names) {
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!columns.containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw new PerceptException(file + ": header lacks column(s) " + missing + "; it has " + columns.keySet());
        }
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /** "file, line N" for messages about row {@code row}. */
    public String where(int row) {
        return file + ", line " + lines.get(row);
    }

    public String get(int row, String column) {
        String[] r = rows.get(row);
        Integer i = columns.get(column);
        if (i == null) {
            throw new PerceptException(file + ": no column " + column);
        }
        if (i >= r.length) {
            throw new PerceptException(where(row) + ": has " + r.length + " fields, column " + column + " is field " + (i + 1));
        }
        return r[i].strip();
    }

    public double number(int row, String column) {
        String v = get(row, column);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new PerceptException(where(row) + ": column " + column + " is not a number: '" + v + "'");
        }
    }
}
