package dev.percept.data.downstream;

import java.nio.file.Path;

/** An image with its class name (classification). */
public record LabeledImage(Path image, String label) {}
