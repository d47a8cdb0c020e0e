package dev.percept.bench;

import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.image.Preprocessing;
import dev.percept.model.Ensemble;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.model.VitConfig;
import dev.percept.tensor.BlockProfile;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.MatmulRate;
import dev.percept.tensor.Precision;
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
 * memory per batch, as embedding does), then the whole path from JPEG files (decode, resize,
 * normalise on a worker thread, overlapped with the network) as {@code percept embed} runs it,
 * and the matrix-product ceilings of this machine measured in the same run.
 */
public final class EmbedBenchmark {
    private EmbedBenchmark() {}

    /**
     * @param flopsPerImage matrix-product FLOPs of one image's forward
     * @param shapeGflops the GFLOP/s of the forward's own products alone (NaN off the CPU)
     * @param squareGflops the GFLOP/s of a 2048^3 product (NaN off the CPU)
     * @param profile milliseconds per operation of one block (empty unless asked for)
     */
    public record Result(int batch, int threads, String precision, double networkImagesPerSecond,
            double endToEndImagesPerSecond, long peakRssBytes, double flopsPerImage, double shapeGflops,
            double squareGflops, Map<String, Double> profile) {
        /** The share of a ceiling (GFLOP/s) that a rate in images/s reaches. */
        public double share(double imagesPerSecond, double ceilingGflops) {
            return imagesPerSecond * flopsPerImage / 1e9 / ceilingGflops;
        }

        /** Milliseconds of one block in the measured forward (the whole forward over its layers). */
        public double blockMillis(int layers) {
            return 1000.0 * batch / networkImagesPerSecond / layers;
        }
    }

    public static Result run(Member member, ComputeDevice device, int batch, int threads, double seconds, boolean profile,
            Path workDir) {
        Preprocessing p = member.preprocessing();
        Ensemble network = new Ensemble(List.of(member));
        Map<Preprocessing, float[]> pixels = Map.of(p, gaussian(batch * 3 * p.height() * p.width(), new Random(1234)));
        network.embed(pixels, batch, FeatureNorm.NONE); // warm-up: oneDNN's kernel cache, the allocator's first pages
        long start = System.nanoTime();
        int images = 0;
        do {
            network.embed(pixels, batch, FeatureNorm.NONE);
            images += batch;
        } while (System.nanoTime() - start < seconds * 1e9 || images < 3 * batch);
        double networkRate = images / ((System.nanoTime() - start) / 1e9);

        // One stream of about `seconds` worth of images, as embedding a folder runs: only the
        // first batch's decoding is not overlapped with the network.
        List<Path> photos = photos(workDir, 4 * batch, new Random(1234));
        int batches = Math.max(3, (int) Math.ceil(networkRate * seconds / batch));
        List<Path> stream = new ArrayList<>();
        for (int i = 0; i < batches * batch; i++) {
            stream.add(photos.get(i % photos.size()));
        }
        double endToEnd;
        try (Embedder embedder = new Embedder(List.of(member), FeatureNorm.NONE, batch)) {
            long t = System.nanoTime();
            embedder.embed(stream, (i, rows) -> {}, Progress.silent());
            endToEnd = stream.size() / ((System.nanoTime() - t) / 1e9);
        }

        VitConfig c = member.backbone().config();
        Precision precision = member.backbone().precision();
        long tokens = member.backbone().transformer().prefixTokens()
                + (long) (p.height() / c.patch()) * (p.width() / c.patch());
        boolean cpu = device == ComputeDevice.CPU;
        double shapes = cpu ? MatmulRate.gflops(blockShapes(c, batch * tokens), precision, 5) : Double.NaN;
        double square = cpu ? MatmulRate.gflops(List.of(MatmulRate.square(2048)), precision, 5) : Double.NaN;
        Map<String, Double> ops = profile && cpu
                ? BlockProfile.run(new BlockProfile.Dims(batch, tokens, c.hidden(), c.heads(), c.mlpHidden()), precision, 3)
                : Map.of();
        return new Result(batch, threads, precision.toString(), networkRate, endToEnd, PeakMemory.bytes(),
                flopsPerImage(c, p.height(), p.width()), shapes, square, ops);
    }

    /** One block's linear layers for {@code rows} tokens (qkv, proj, the MLP's), as the forward multiplies them. */
    static List<MatmulRate.Shape> blockShapes(VitConfig c, long rows) {
        List<MatmulRate.Shape> shapes = new ArrayList<>(List.of(
                new MatmulRate.Shape(rows, c.hidden(), 3L * c.hidden()),
                new MatmulRate.Shape(rows, c.hidden(), c.hidden()),
                new MatmulRate.Shape(rows, c.hidden(), c.mlpHidden()),
                new MatmulRate.Shape(rows, c.mlpHidden(), c.hidden())));
        if (c.feedForward() == VitConfig.FeedForward.GATED) {
            shapes.add(new MatmulRate.Shape(rows, c.hidden(), c.mlpHidden()));
        }
        return shapes;
    }

    /**
     * Matrix-product FLOPs (2 per multiply-add) of one image: the patch projection, and per block
     * the linear layers and attention's two products; element-wise work is not counted.
     */
    static double flopsPerImage(VitConfig c, int height, int width) {
        long patches = (long) (height / c.patch()) * (width / c.patch());
        long tokens = patches + 1 + c.registers();
        double flops = 2.0 * patches * 3 * c.patch() * c.patch() * c.hidden();
        for (MatmulRate.Shape s : blockShapes(c, tokens)) {
            flops += c.layers() * s.flops();
        }
        flops += c.layers() * 2 * 2.0 * tokens * tokens * c.hidden();
        return flops;
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
