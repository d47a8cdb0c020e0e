package dev.percept.data.downstream;

import java.nio.file.Path;

/** An image with the number of objects in it (counting). */
public record CountedImage(Path image, double count) {}
