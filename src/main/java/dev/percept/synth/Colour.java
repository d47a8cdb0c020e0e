package dev.percept.synth;

import java.util.Locale;

/** Object colours: CLEVR's eight plus two, as sRGB. */
public enum Colour {
    RED(173, 35, 35), GREEN(29, 105, 20), BLUE(42, 75, 215), YELLOW(255, 238, 51), PURPLE(129, 38, 192),
    CYAN(41, 208, 208), BROWN(129, 74, 25), GRAY(87, 87, 87), ORANGE(255, 146, 51), WHITE(233, 233, 233);

    private final int r;
    private final int g;
    private final int b;

    Colour(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** Red, green, blue in [0, 1]. */
    public double[] rgb() {
        return new double[] {r / 255.0, g / 255.0, b / 255.0};
    }

    /** Euclidean distance of the two colours in RGB, scaled to [0, 1]. */
    public double distance(Colour other) {
        double dr = r - other.r;
        double dg = g - other.g;
        double db = b - other.b;
        return Math.sqrt(dr * dr + dg * dg + db * db) / (255 * Math.sqrt(3));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
