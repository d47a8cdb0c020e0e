package dev.percept.synth;

/**
 * The ground plane's and the sky's colours (sRGB in [0, 1]). Ground fades into the sky colour with
 * distance (a depth cue); shadows darken it.
 */
public record Background(double[] ground, double[] sky) {}
