package dev.percept.data.downstream;

import dev.percept.PerceptException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Per-pixel targets stored as PNG: label maps (palette indices or 8-bit grey values, never
 * colours) and 16-bit depth maps, read from the raster as stored.
 */
public final class LabelMaps {
    private LabelMaps() {}

    /** A decoded single-channel map, row-major. */
    public record Map(int width, int height, int[] values) {}

    /** The raw sample values of a single-channel PNG (palette index, grey level, 16-bit value). */
    public static Map read(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(DatasetFiles.requireFile(file, "label map").toFile());
        } catch (IOException | RuntimeException e) {
            throw new PerceptException("cannot decode label map " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new PerceptException("cannot decode label map " + file + ": not a PNG or other image ImageIO reads");
        }
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1) {
            throw new PerceptException("label map " + file + " has " + raster.getNumBands()
                    + " channels; expected one (palette indices or grey values)");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        return new Map(w, h, raster.getSamples(0, 0, w, h, 0, new int[w * h]));
    }
}
