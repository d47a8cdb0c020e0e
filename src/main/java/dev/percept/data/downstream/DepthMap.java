package dev.percept.data.downstream;

/** A depth map in metres, row-major from the top row; 0 or NaN where nothing was measured. */
public record DepthMap(int width, int height, float[] metres) {}
