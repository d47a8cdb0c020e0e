package dev.percept.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a long job: on a terminal one line redrawn in place (count, rate, ETA); otherwise a
 * plain line every few seconds, so logs stay readable.
 */
public final class Progress {
    private static final long TERMINAL_REDRAW_NANOS = 200_000_000L;
    private static final long LOG_LINE_NANOS = 10_000_000_000L;

    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long done;
    private long lastPrint;
    private String note = "";

    public Progress(String label, String unit, long total, PrintStream out, boolean terminal) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on standard error, redrawn in place when a console is attached. */
    public static Progress onStderr(String label, String unit, long total) {
        return new Progress(label, unit, total, System.err, System.console() != null);
    }

    /** Progress that prints nothing (tests, library calls). */
    public static Progress silent() {
        return new Progress("", "", 0, null, false);
    }

    /** A short status shown after the rate and ETA (e.g. the current loss); empty for none. */
    public synchronized void note(String note) {
        this.note = note;
    }

    public synchronized void advance(long n) {
        done += n;
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (finished || now - lastPrint >= (terminal ? TERMINAL_REDRAW_NANOS : LOG_LINE_NANOS)) {
            lastPrint = now;
            String line = line(now);
            if (terminal) {
                out.print("\r" + line + (finished ? "\n" : ""));
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    private String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder s = new StringBuilder(label).append(": ").append(done);
        if (total > 0) {
            s.append('/').append(total).append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        }
        s.append(String.format(Locale.ROOT, " %.1f %s/s", rate, unit));
        if (total > 0 && rate > 0 && done < total) {
            s.append(" ETA ").append(format(Duration.ofSeconds((long) ((total - done) / rate))));
        } else {
            s.append(" elapsed ").append(format(Duration.ofSeconds((long) seconds)));
        }
        if (!note.isEmpty()) {
            s.append(", ").append(note);
        }
        return s.toString();
    }

    private static String format(Duration d) {
        long h = d.toHours();
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }
}
