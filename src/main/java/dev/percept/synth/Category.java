package dev.percept.synth;

import java.util.Locale;

/**
 * The object categories (shapes). Class id = ordinal + 1 in masks and class lists; 0 is the
 * background. Every shape stands on the ground with its base at height 0 and is about {@code 2
 * size} tall, so sizes compare across categories.
 */
public enum Category {
    CUBE, SPHERE, CYLINDER, CONE, PYRAMID, TORUS;

    /** The id in semantic masks (1..K). */
    public int id() {
        return ordinal() + 1;
    }

    /** Lower-case name, as written in folders, JSON and class lists. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
