package dev.percept.data.downstream;

import java.nio.file.Path;

/** An image with its per-pixel target: a segmentation label map or a depth map. */
public record DenseImage(Path image, Path target) {}
