package dev.percept.align;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A 2AFC set whose judges see only hue: each image is one coloured square at a random place and
 * size on a grey ground, and the closer candidate is the one whose hue is nearer the reference's.
 * A random-weight ViT is distracted by the placement; an aligned one learns to ignore it.
 */
public final class AlignFixtures {
    public static final String MODEL = Path.of("demo/tiny-vit").toAbsolutePath().toString();
    private static final int SIDE = 32;

    private AlignFixtures() {}

    /** Writes {@code dir/train.csv} and {@code dir/test.csv} (ref,left,right,p) and their images. */
    public static void colourTriplets(Path dir, int train, int test, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(dir.resolve("img"));
        List<String> rows = new ArrayList<>();
        for (int t = 0; t < train + test; t++) {
            float hue = random.nextFloat();
            float left = wrap(hue + (random.nextFloat() - 0.5f) * 0.6f);
            float right = wrap(hue + (random.nextFloat() - 0.5f) * 0.6f);
            String ref = square(dir, 3 * t, hue, random);
            String l = square(dir, 3 * t + 1, left, random);
            String r = square(dir, 3 * t + 2, right, random);
            rows.add(ref + "," + l + "," + r + "," + (hueGap(hue, right) < hueGap(hue, left) ? "1.0" : "0.0"));
        }
        Files.writeString(dir.resolve("train.csv"), "ref,left,right,p\n" + String.join("\n", rows.subList(0, train)) + "\n");
        Files.writeString(dir.resolve("test.csv"), "ref,left,right,p\n" + String.join("\n", rows.subList(train, train + test)) + "\n");
    }

    private static String square(Path dir, int index, float hue, Random random) throws IOException {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 40, 40));
        g.fillRect(0, 0, SIDE, SIDE);
        g.setColor(Color.getHSBColor(hue, 0.9f, 0.9f));
        int size = 6 + random.nextInt(7);
        g.fillRect(random.nextInt(SIDE - size), random.nextInt(SIDE - size), size, size);
        g.dispose();
        String name = "img/" + index + ".png";
        ImageIO.write(image, "png", dir.resolve(name).toFile());
        return name;
    }

    private static float wrap(float h) {
        return h - (float) Math.floor(h);
    }

    private static float hueGap(float a, float b) {
        float d = Math.abs(a - b);
        return Math.min(d, 1 - d);
    }
}
