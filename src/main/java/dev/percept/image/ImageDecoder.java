package dev.percept.image;

import dev.percept.PerceptException;
import java.awt.Dimension;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file to 8-bit RGB with the pixels Pillow's
 * {@code ImageOps.exif_transpose(Image.open(f)).convert("RGB")} gives: palettes and gray expanded,
 * alpha dropped (not composited), 16-bit samples cut to their high byte (as Pillow does for
 * 16-bit RGB), CMYK and YCCK JPEGs converted with Pillow's formula, EXIF orientation of JPEGs
 * applied. Reads PNG, JPEG, BMP and GIF (the first frame), and whatever else ImageIO reads as
 * gray or RGB. Sample values are taken as stored: no ICC profile or gamma is applied, as Pillow
 * applies none.
 */
public final class ImageDecoder {
    /** Pillow refuses images above twice its MAX_IMAGE_PIXELS warning level as decompression bombs. */
    static final long MAX_PIXELS = 2L * 89_478_485;

    private ImageDecoder() {}

    public static RgbImage decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PerceptException(file + ": no such file");
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e, e);
        }
        return decode(bytes, file);
    }

    /** An image already read into memory (by a Spark executor, say); {@code file} names it in errors. */
    public static RgbImage decode(byte[] bytes, Path file) {
        if (bytes.length == 0) {
            throw new PerceptException(file + ": empty file, not an image");
        }
        if (JpegHeader.isJpeg(bytes)) {
            return decodeJpeg(bytes, file);
        }
        return decodeOther(bytes, file);
    }

    /**
     * JPEG components are read raw (ImageIO's raster path converts no colours) so the conversion
     * is Pillow's whatever the colour space, including the CMYK and YCCK that ImageIO's image path
     * refuses or converts through ICC profiles.
     */
    private static RgbImage decodeJpeg(byte[] bytes, Path file) {
        JpegHeader header = JpegHeader.parse(bytes, file);
        JpegHeader.ColorSpace space = header.colorSpace();
        if (space == null) {
            throw new PerceptException(file + ": JPEG with " + header.components() + " components is not supported");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no JPEG decoder");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        Raster raster;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            checkSize(file, reader);
            raster = reader.readRaster(0, null);
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, e);
        } finally {
            reader.dispose();
        }
        for (String warning : warnings) {
            // libjpeg pads a truncated stream with gray and only warns; Pillow calls the file truncated.
            if (warning.contains("Premature end") || warning.contains("Truncated")) {
                throw new PerceptException(file + ": JPEG is truncated (" + warning + ")");
            }
        }
        if (raster.getNumBands() != header.components()) {
            throw new PerceptException(file + ": JPEG decoder returned " + raster.getNumBands() + " components, the header says "
                    + header.components());
        }
        return ExifOrientation.apply(JpegColor.toRgb(raster, space), header.orientation());
    }

    private static RgbImage decodeOther(byte[] bytes, Path file) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PerceptException(file + ": not an image in a readable format (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkSize(file, reader);
                return toRgb(reader.read(0), file);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    /**
     * An image's width and height read from its header alone, without decoding pixels: how an
     * upload's size is checked against a limit before it is decoded. {@code name} labels errors.
     */
    public static Dimension dimensions(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new PerceptException(name + ": empty, not an image");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PerceptException(name + ": not an image in a readable format (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new Dimension(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(Path.of(name), e);
        }
    }

    private static void checkSize(Path file, ImageReader reader) throws IOException {
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
            throw new PerceptException(file + ": " + reader.getWidth(0) + "x" + reader.getHeight(0)
                    + " image exceeds the limit of " + MAX_PIXELS + " pixels");
        }
    }

    /** ImageIO signals corrupt data with IOExceptions and assorted runtime exceptions alike. */
    private static PerceptException corrupt(Path file, Exception e) {
        if (e instanceof PerceptException p) {
            return p;
        }
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null) {
            reason += " (" + cause.getMessage() + ")";
        }
        return new PerceptException(file + ": corrupt or truncated image: " + reason, e);
    }

    /** Reads the stored samples directly: never through getRGB, which would apply colour-space conversions. */
    private static RgbImage toRgb(BufferedImage image, Path file) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        if (model instanceof IndexColorModel palette) {
            int size = palette.getMapSize();
            byte[] r = new byte[size];
            byte[] g = new byte[size];
            byte[] b = new byte[size];
            palette.getReds(r);
            palette.getGreens(g);
            palette.getBlues(b);
            int[] row = new int[w];
            for (int y = 0, o = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++, o += 3) {
                    int i = row[x];
                    if (i < size) { // an index past the palette stays black
                        out[o] = r[i];
                        out[o + 1] = g[i];
                        out[o + 2] = b[i];
                    }
                }
            }
            return new RgbImage(w, h, out);
        }
        int colors = model.getNumColorComponents();
        int type = model.getColorSpace().getType();
        if (!(colors == 1 && type == ColorSpace.TYPE_GRAY) && !(colors == 3 && type == ColorSpace.TYPE_RGB)) {
            throw new PerceptException(file + ": images with " + colors + " colour components of colour space type " + type
                    + " are not supported (only gray, RGB and palette)");
        }
        int bands = raster.getNumBands();
        int[] bits = model.getComponentSize();
        int[] row = new int[w * bands];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands, o += 3) {
                if (colors == 1) {
                    byte v = to8Bits(row[p], bits[0]);
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                } else {
                    out[o] = to8Bits(row[p], bits[0]);
                    out[o + 1] = to8Bits(row[p + 1], bits[1]);
                    out[o + 2] = to8Bits(row[p + 2], bits[2]);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** 8 bits as they are, deeper samples by their high byte (Pillow's rule for 16-bit RGB), fewer scaled to 0..255. */
    private static byte to8Bits(int sample, int bits) {
        if (bits >= 8) {
            return (byte) (sample >>> (bits - 8));
        }
        int max = (1 << bits) - 1;
        return (byte) ((sample * 255 + max / 2) / max);
    }
}
