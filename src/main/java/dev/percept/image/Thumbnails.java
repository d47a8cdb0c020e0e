package dev.percept.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Images as PNG data URLs, decoded the way the models see them (EXIF orientation, CMYK) and shrunk
 * with Pillow's bicubic so the longer side fits: what a vision-language model is sent and what a
 * report shows.
 */
public final class Thumbnails {
    private Thumbnails() {}

    /** {@code file} as a {@code data:image/png;base64,...} URL, its longer side at most {@code maxSide}. */
    public static String dataUrl(Path file, int maxSide) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(fit(ImageDecoder.decode(file), maxSide)));
    }

    /** The image shrunk (never enlarged) so that its longer side is at most {@code maxSide}. */
    public static RgbImage fit(RgbImage image, int maxSide) {
        int longer = Math.max(image.width(), image.height());
        if (longer <= maxSide) {
            return image;
        }
        double scale = (double) maxSide / longer;
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        return Resize.resize(image, w, h, ResampleFilter.BICUBIC);
    }

    public static byte[] png(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[image.width() * image.height()];
        byte[] p = image.pixels();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (p[3 * i] & 0xff) << 16 | (p[3 * i + 1] & 0xff) << 8 | (p[3 * i + 2] & 0xff);
        }
        out.setRGB(0, 0, image.width(), image.height(), rgb, 0, image.width());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: not expected
        }
        return bytes.toByteArray();
    }
}
