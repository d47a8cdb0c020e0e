package dev.percept.search;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small generated images: a seeded pattern of coloured blocks, so that different seeds look different. */
public final class TestImages {
    private TestImages() {}

    /** A 48x48 PNG of 6x6 coloured blocks drawn from {@code seed}; {@code tweak} nudges one block (a near-duplicate). */
    public static Path png(Path file, long seed, int tweak) {
        Random r = new Random(seed);
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        for (int by = 0; by < 6; by++) {
            for (int bx = 0; bx < 6; bx++) {
                int rgb = r.nextInt(1 << 24);
                if (by == 0 && bx == 0) {
                    rgb ^= tweak;
                }
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        image.setRGB(bx * 8 + x, by * 8 + y, rgb);
                    }
                }
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static byte[] pngBytes(long seed) {
        try {
            Path tmp = Files.createTempFile("percept-test", ".png");
            try {
                return Files.readAllBytes(png(tmp, seed, 0));
            } finally {
                Files.delete(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
