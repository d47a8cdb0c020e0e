package dev.percept.image;

import dev.percept.io.Npy;
import dev.percept.io.NpyArray;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The images and Pillow references written by tools/reference/make_image_fixtures.py. */
final class Fixtures {
    private Fixtures() {}

    static Path image(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/images/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource images/" + name, e);
        }
    }

    /** A uint8 HxWx3 array saved by numpy, as an image. */
    static RgbImage rgbNpy(String name) {
        NpyArray array = Npy.read(image(name));
        long[] shape = array.shape();
        if (!array.dtype().equals("|u1") || shape.length != 3 || shape[2] != 3) {
            throw new IllegalStateException(name + " is not a uint8 HxWx3 array");
        }
        byte[] pixels = new byte[array.data().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) array.data()[i];
        }
        return new RgbImage((int) shape[1], (int) shape[0], pixels);
    }

    /** The largest per-sample difference; fails if the sizes differ. */
    static int maxDifference(RgbImage expected, RgbImage actual) {
        if (expected.width() != actual.width() || expected.height() != actual.height()) {
            throw new AssertionError("size " + actual.width() + "x" + actual.height() + ", expected "
                    + expected.width() + "x" + expected.height());
        }
        int max = 0;
        for (int i = 0; i < expected.pixels().length; i++) {
            max = Math.max(max, Math.abs((expected.pixels()[i] & 0xff) - (actual.pixels()[i] & 0xff)));
        }
        return max;
    }

    /** How many samples differ at all. */
    static int differingSamples(RgbImage expected, RgbImage actual) {
        int count = 0;
        for (int i = 0; i < expected.pixels().length; i++) {
            count += expected.pixels()[i] != actual.pixels()[i] ? 1 : 0;
        }
        return count;
    }
}
