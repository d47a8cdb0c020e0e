package dev.percept.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** The core's fixtures (tiny models, decoder test images) and generated images. */
final class Fixtures {
    /** The core project's test resources, beside this module. */
    static final Path CORE = Path.of("..", "src", "test", "resources").toAbsolutePath().normalize();
    /** A 64-wide DINO ViT in timm's layout. */
    static final Path DINO = CORE.resolve("parity/dino_timm/model");
    static final Path IMAGES = CORE.resolve("images");

    private Fixtures() {}

    /** The core's decoder fixtures of every format (JPEG with EXIF, CMYK, PNG 16-bit, palettes, GIF, BMP) copied into {@code dir}. */
    static Path decoderImages(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        try (var files = Files.list(IMAGES)) {
            int i = 0;
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(jpg|png|gif|bmp)$")).sorted().toList()) {
                Files.copy(f, (i++ % 3 == 0 ? dir.resolve("sub") : dir).resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** A {@code side} x {@code side} PNG of 8x8 blocks of colours drawn from {@code seed}. */
    static Path png(Path file, long seed, int side) {
        return png(file, seed, side, 0);
    }

    /** The same, with {@code tweak} xor-ed into the first block's colour (a near-duplicate). */
    static Path png(Path file, long seed, int side, int tweak) {
        Random r = new Random(seed);
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int by = 0; by < side; by += 8) {
            for (int bx = 0; bx < side; bx += 8) {
                int rgb = r.nextInt(1 << 24) ^ (bx == 0 && by == 0 ? tweak : 0);
                for (int y = by; y < Math.min(side, by + 8); y++) {
                    for (int x = bx; x < Math.min(side, bx + 8); x++) {
                        image.setRGB(x, y, rgb);
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
}
