import java.awt.color.ColorSpace;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes a YCCK JPEG (Adobe APP14 transform 2), the layout Photoshop uses for CMYK, which Pillow
 * cannot write. Usage: java WriteYcckJpeg.java RAW WIDTH HEIGHT OUT.jpg, where RAW holds
 * interleaved Y, Cb, Cr, K bytes; the JDK's encoder stores a raster's samples as they are, with
 * the Adobe marker its default metadata gives a four-channel CMYK image.
 */
public class WriteYcckJpeg {
    /** Only its type and channel count matter: the encoder never converts a raster's samples. */
    static final class Cmyk extends ColorSpace {
        Cmyk() {
            super(TYPE_CMYK, 4);
        }

        @Override
        public float[] toRGB(float[] v) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] fromRGB(float[] v) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] toCIEXYZ(float[] v) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] fromCIEXYZ(float[] v) {
            throw new UnsupportedOperationException();
        }
    }

    public static void main(String[] args) throws Exception {
        byte[] raw = Files.readAllBytes(Path.of(args[0]));
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        raster.setDataElements(0, 0, width, height, raw);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        ImageTypeSpecifier type = ImageTypeSpecifier.createInterleaved(
                new Cmyk(), new int[] {0, 1, 2, 3}, DataBuffer.TYPE_BYTE, false, false);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(new File(args[3]))) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, writer.getDefaultImageMetadata(type, param)), param);
        }
    }
}
