package dev.percept.synth;

import dev.percept.Seeds;
import dev.percept.console.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The depth set in NYUv2's BTS layout: {@code nyu_train.txt} and {@code nyu_test.txt}, lines
 * {@code <rgb> <depth> <focal>} relative to the folder, RGB PNGs and depth as 16-bit grayscale PNGs
 * in millimetres (z-depth; 0 would mean invalid, the sky is at {@link Renderer#FAR}).
 */
final class DepthWriter {
    private DepthWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        return split(dir, seed, "train", size.depthTrain(), size, progress) + split(dir, seed, "test", size.depthTest(), size, progress);
    }

    private static int split(Path dir, long seed, String split, int count, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        StringBuilder list = new StringBuilder();
        String focal = String.format(Locale.ROOT, "%.4f", size.focal());
        for (int i = 0; i < count; i++) {
            SplittableRandom rng = Seeds.of(seed, "depth/" + split, i);
            Rendering r = sampler.any(rng, 6).rendering();
            String rgb = String.format(Locale.ROOT, "%s/rgb_%05d.png", split, i);
            String depth = String.format(Locale.ROOT, "%s/sync_depth_%05d.png", split, i);
            ImageFormats.png(dir.resolve(rgb), r.rgb(), r.size());
            ImageFormats.gray16Png(dir.resolve(depth), millimetres(r.depth()), r.size());
            list.append(rgb).append(' ').append(depth).append(' ').append(focal).append('\n');
            progress.advance(1);
        }
        TextFile.write(dir.resolve("nyu_" + split + ".txt"), list);
        return count;
    }

    static int[] millimetres(float[] metres) {
        int[] out = new int[metres.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.max(1, Math.min(65535, Math.round(metres[i] * 1000.0)));
        }
        return out;
    }
}
