package dev.percept.report;

import java.util.List;
import java.util.Locale;

/** An inline SVG bar chart: one bar per model with its 95% confidence interval as an error bar. */
final class BarChart {
    private static final int BAR = 46;
    private static final int GAP = 22;
    private static final int LEFT = 56;
    private static final int TOP = 26;
    private static final int PLOT_HEIGHT = 160;
    private static final int BOTTOM = 40;
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"};

    private BarChart() {}

    /** {@code colour}: the model's index, so a model keeps its colour across charts. */
    record Bar(String label, ReportData.Cell cell, int colour) {}

    static String svg(String title, List<Bar> bars) {
        double lo = 0;
        double hi = 0;
        for (Bar b : bars) {
            lo = Math.min(lo, Math.min(b.cell().low(), b.cell().value()));
            hi = Math.max(hi, Math.max(b.cell().high(), b.cell().value()));
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        double step = niceStep((hi - lo) / 4);
        lo = Math.floor(lo / step) * step;
        hi = Math.ceil(hi / step) * step;
        int width = Math.max(LEFT + bars.size() * (BAR + GAP) + GAP, 12 + 7 * title.length());
        int height = TOP + PLOT_HEIGHT + BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", width, height, width, height, Html.esc(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" class=\"ct\">%s</text>", 6, Html.esc(title)));
        for (double t = lo; t <= hi + step / 2; t += step) {
            double y = y(t, lo, hi);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>", LEFT, width - GAP / 2, y, y, LEFT - 6, y + 4,
                    Html.esc(tick(t, step))));
        }
        double zero = y(0, lo, hi);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int x = LEFT + GAP + i * (BAR + GAP);
            double top = y(b.cell().value(), lo, hi);
            String tip = b.label() + ": " + Html.num(b.cell().value()) + " [" + Html.num(b.cell().low()) + ", "
                    + Html.num(b.cell().high()) + "]";
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                    x, Math.min(top, zero), BAR, Math.abs(zero - top), COLOURS[b.colour() % COLOURS.length], Html.esc(tip)));
            double yl = y(b.cell().low(), lo, hi);
            double yh = y(b.cell().high(), lo, hi);
            int cx = x + BAR / 2;
            s.append(String.format(Locale.ROOT, "<path class=\"err\" d=\"M%d %.1fV%.1fM%d %.1fH%dM%d %.1fH%d\"/>",
                    cx, yl, yh, cx - 7, yl, cx + 7, cx - 7, yh, cx + 7));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"bl\">%s</text>", cx, TOP + PLOT_HEIGHT + 16,
                    Html.esc(shorten(b.label()))));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"bv\">%s</text>", cx, TOP + PLOT_HEIGHT + 31,
                    Html.esc(Html.num(b.cell().value()))));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>", LEFT,
                width - GAP / 2, zero, zero));
        return s.append("</svg>").toString();
    }

    private static double y(double v, double lo, double hi) {
        return TOP + PLOT_HEIGHT * (hi - v) / (hi - lo);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String tick(double t, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(t) < step / 1e6 ? 0.0 : t);
    }

    private static String shorten(String label) {
        return label.length() <= 9 ? label : label.substring(0, 8) + "\u2026";
    }
}
