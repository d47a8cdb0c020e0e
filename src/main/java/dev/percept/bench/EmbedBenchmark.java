package dev.percept.bench;

import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.image.Preprocessing;
import dev.percept.model.Ensemble;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Embedding throughput of one backbone: the network alone on ready pixels (copied into native
 * memory per batch, as embedding does), then the whole path
 * from JPEG files (decode, resize, normalise, network) as {@code percept embed} runs it.
 */
public final class EmbedBenchmark {
    private EmbedBenchmark() {}

    public record Result(int batch, int threads, String precision, double networkImagesPerSecond,
            double endToEndImagesPerSecond, long peakRssBytes) {}

    public static Result run(Member member, int batch, int threads, double seconds, Path workDir) {
        // The whole path first: it also warms up oneDNN's kernel cache and the allocator (the
        // first touches of fresh pages are slow on VMs), so the network-only figure is steady.
        List<Path> files = photos(workDir, 4 * batch, new Random(1234));
        double endToEnd;
        try (Embedder embedder = new Embedder(List.of(member), FeatureNorm.NONE, batch)) {
            long warm = System.nanoTime();
            while (System.nanoTime() - warm < seconds * 0.2e9) {
                embedder.embed(files.subList(0, batch), (i, rows) -> {}, Progress.silent());
            }
            long start = System.nanoTime();
            int images = 0;
            do {
                embedder.embed(files, (i, rows) -> {}, Progress.silent());
                images += files.size();
            } while (System.nanoTime() - start < seconds * 1e9);
            endToEnd = images / ((System.nanoTime() - start) / 1e9);
        }
        Preprocessing p = member.preprocessing();
        Ensemble network = new Ensemble(List.of(member));
        Map<Preprocessing, float[]> pixels = Map.of(p, gaussian(batch * 3 * p.height() * p.width(), new Random(1234)));
        long start = System.nanoTime();
        int images = 0;
        do {
            network.embed(pixels, batch, FeatureNorm.NONE);
            images += batch;
        } while (System.nanoTime() - start < seconds * 1e9 || images < 3 * batch);
        double networkRate = images / ((System.nanoTime() - start) / 1e9);
        return new Result(batch, threads, member.backbone().precision().toString(), networkRate, endToEnd, PeakMemory.bytes());
    }

    /** N(0, 1) draws: stand-in normalised pixels (their values do not change the work). */
    private static float[] gaussian(int n, Random random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** Synthetic 640x480 JPEG photos (gradients and shapes), as a camera-sized workload. */
    static List<Path> photos(Path dir, int count, Random random) {
        try {
            Files.createDirectories(dir);
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt()), 640, 480, new Color(random.nextInt())));
                g.fillRect(0, 0, 640, 480);
                for (int k = 0; k < 12; k++) {
                    g.setColor(new Color(random.nextInt()));
                    g.fillOval(random.nextInt(600), random.nextInt(440), 20 + random.nextInt(200), 20 + random.nextInt(200));
                }
                g.dispose();
                Path file = dir.resolve(String.format("photo_%03d.jpg", i));
                ImageIO.write(img, "jpg", file.toFile());
                out.add(file);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
