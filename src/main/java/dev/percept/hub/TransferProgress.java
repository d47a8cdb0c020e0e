package dev.percept.hub;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how a download goes: on a terminal one line redrawn in place (bytes, MB/s, ETA); otherwise
 * (a log, a pipe) a plain line at the start, every {@value #PLAIN_EVERY_SECONDS} seconds, and at
 * the end.
 */
public final class TransferProgress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int PLAIN_EVERY_SECONDS = 10;

    private final PrintWriter out;
    private final boolean terminal;

    private String label;
    private long total;
    private long done;
    private long startDone;
    private long startNanos;
    private long lastShownNanos;
    private int lastWidth;

    public TransferProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on {@code out}, redrawn in place when the process has a terminal. */
    public static TransferProgress forConsole(PrintWriter out) {
        return new TransferProgress(out, System.console() != null);
    }

    /** A line of its own, e.g. that a file is already in the cache. */
    public void note(String line) {
        out.println(line);
        out.flush();
    }

    void begin(String label, long alreadyDone, long total) {
        this.label = label;
        this.total = total;
        this.done = alreadyDone;
        this.startDone = alreadyDone;
        this.startNanos = System.nanoTime();
        this.lastShownNanos = startNanos;
        this.lastWidth = 0;
        if (terminal) {
            draw();
        } else {
            String resume = alreadyDone > 0 ? ", resuming at " + bytes(alreadyDone) : "";
            note(label + ": downloading " + bytes(total) + resume);
        }
    }

    void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        long every = terminal ? REDRAW_NANOS : PLAIN_EVERY_SECONDS * 1_000_000_000L;
        if (now - lastShownNanos >= every) {
            lastShownNanos = now;
            if (terminal) {
                draw();
            } else {
                note(label + ": " + status());
            }
        }
    }

    /** Ends the progress line; {@code complete} says whether the transfer reached its end. */
    void end(boolean complete) {
        if (terminal) {
            draw();
            out.println();
            out.flush();
        } else if (complete) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            note(String.format(Locale.ROOT, "%s: done, %s in %.0f s (%s)",
                    label, bytes(done - startDone), seconds, rate()));
        }
    }

    private void draw() {
        String line = label + "  " + status();
        int pad = Math.max(0, lastWidth - line.length());
        lastWidth = line.length();
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
    }

    private String status() {
        String percent = total > 0 ? String.format(Locale.ROOT, "%3.0f%%  ", 100.0 * done / total) : "";
        return percent + bytes(done) + " / " + bytes(total) + "  " + rate() + "  ETA " + eta();
    }

    private double bytesPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? (done - startDone) / seconds : 0;
    }

    private String rate() {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond() / 1e6);
    }

    private String eta() {
        double speed = bytesPerSecond();
        if (speed <= 0) {
            return "--:--";
        }
        long seconds = Math.round((total - done) / speed);
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    static String bytes(long n) {
        if (n < 1_000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }
}
