package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Portable float maps (PFM, netpbm), greyscale {@code Pf}: three text lines ({@code Pf}, width and
 * height, scale) then little- or big-endian float32 samples. A negative scale means
 * little-endian; its absolute value multiplies the samples (as the 4D Light Field benchmark's own
 * reader does). Rows are stored bottom to top; the returned array is top to bottom, shape
 * [height, width].
 */
public final class Pfm {
    private Pfm() {}

    public static FloatArray read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PerceptException("cannot read PFM " + file + ": " + e.getMessage(), e);
        }
        Header header = new Header(file, bytes);
        String magic = header.next("identifier");
        if (magic.equals("PF")) {
            throw new PerceptException("PFM " + file + " is a colour map (PF); expected one channel (Pf)");
        }
        if (!magic.equals("Pf")) {
            throw new PerceptException("PFM " + file + " starts with '" + magic + "'; expected 'Pf'");
        }
        String[] size = header.next("width height").split("\\s+");
        int width = size.length == 2 ? header.positive(size[0]) : -1;
        int height = size.length == 2 ? header.positive(size[1]) : -1;
        if (width < 0 || height < 0) {
            throw new PerceptException("PFM " + file + ", line 2: expected '<width> <height>', got '" + String.join(" ", size) + "'");
        }
        float scale = header.scale();
        long expected = 4L * width * height;
        long available = bytes.length - header.offset;
        if (available != expected) {
            throw new PerceptException("PFM " + file + " has " + available + " bytes of samples; " + width + " x " + height
                    + " floats need " + expected);
        }
        ByteBuffer samples = ByteBuffer.wrap(bytes, header.offset, (int) expected)
                .order(scale < 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        float factor = Math.abs(scale);
        float[] out = new float[width * height];
        for (int row = height - 1; row >= 0; row--) {
            for (int x = 0; x < width; x++) {
                out[row * width + x] = samples.getFloat() * factor;
            }
        }
        return new FloatArray(new long[] {height, width}, out);
    }

    /** The three header lines, read one at a time; the samples start after the third newline. */
    private static final class Header {
        private final Path file;
        private final byte[] bytes;
        private int offset;
        private int line;

        Header(Path file, byte[] bytes) {
            this.file = file;
            this.bytes = bytes;
        }

        String next(String what) {
            line++;
            int start = offset;
            while (offset < bytes.length && bytes[offset] != '\n' && offset - start < 256) {
                offset++;
            }
            if (offset >= bytes.length || bytes[offset] != '\n') {
                throw new PerceptException("PFM " + file + ", line " + line + ": no complete " + what + " line");
            }
            String text = new String(bytes, start, offset - start, StandardCharsets.US_ASCII).strip();
            offset++;
            return text;
        }

        int positive(String s) {
            try {
                int v = Integer.parseInt(s);
                return v > 0 ? v : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        float scale() {
            String s = next("scale");
            try {
                float v = Float.parseFloat(s);
                if (v != 0 && Float.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new PerceptException("PFM " + file + ", line 3: scale must be a non-zero number (its sign gives the byte order), got '" + s + "'");
        }
    }
}
