package dev.percept.synth;

import dev.percept.PerceptException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** The image files the datasets hold, written with {@code javax.imageio} (deterministic: no timestamps). */
final class ImageFormats {
    /** The JPEG quality of dataset images whose real layout is JPEG (VOC, DeepFashion2). */
    static final float DATASET_JPEG_QUALITY = 0.92f;
    private static final IndexColorModel VOC = vocPalette();

    private ImageFormats() {}

    static BufferedImage rgbImage(int[] rgb, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, size, size, rgb, 0, size);
        return image;
    }

    static void png(Path file, int[] rgb, int size) {
        write(file, rgbImage(rgb, size), "png");
    }

    static void jpeg(Path file, int[] rgb, int size, float quality) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(jpegBytes(rgb, size, quality));
            }
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] jpegBytes(int[] rgb, int size, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(rgbImage(rgb, size), null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Encodes as JPEG at {@code quality} and decodes again: the compression artefacts alone. */
    static int[] jpegRoundTrip(int[] rgb, int size, float quality) {
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpegBytes(rgb, size, quality)));
            return decoded.getRGB(0, 0, size, size, null, 0, size);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG decoding in memory failed", e);
        }
    }

    /** An 8-bit palette PNG whose pixel indices are {@code ids} (0..255), in VOC's colour palette. */
    static void palettePng(Path file, int[] ids, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_INDEXED, VOC);
        image.getRaster().setPixels(0, 0, size, size, ids);
        write(file, image, "png");
    }

    /** A 16-bit grayscale PNG of {@code values} (0..65535). */
    static void gray16Png(Path file, int[] values, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        raster.setPixels(0, 0, size, size, values);
        write(file, image, "png");
    }

    private static void write(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no " + format + " writer");
            }
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** VOC's colour map: the bits of the class id spread over the high bits of red, green and blue. */
    private static IndexColorModel vocPalette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            int red = 0;
            int green = 0;
            int blue = 0;
            for (int bit = 7; bit >= 0; bit--) {
                red |= (c & 1) << bit;
                green |= ((c >> 1) & 1) << bit;
                blue |= ((c >> 2) & 1) << bit;
                c >>= 3;
            }
            r[i] = (byte) red;
            g[i] = (byte) green;
            b[i] = (byte) blue;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}
