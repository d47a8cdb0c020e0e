package dev.percept.synth;

import dev.percept.Seeds;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.console.Progress;
import dev.percept.io.JsonFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The counting set in CLEVR's layout: {@code images/<split>/CLEVR_<split>_<nnnnnn>.png} and
 * {@code scenes/CLEVR_<split>_scenes.json}. Scenes hold 1 to {@link #MAX_COUNT} objects, each
 * visible. Per object: shape, color, size ("small" below {@link #LARGE} metres, else "large"),
 * {@code 3d_coords} [x, y, z] in metres with z up (CLEVR's axes: the ground is x, y), {@code
 * pixel_coords} [column, row, depth in metres] of the object's centre, rotation in degrees.
 */
final class CountingWriter {
    static final int MAX_COUNT = 8;
    static final double LARGE = 0.4;

    private CountingWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        return split(dir, seed, "train", size.countTrain(), size, progress) + split(dir, seed, "val", size.countVal(), size, progress)
                + split(dir, seed, "test", size.countTest(), size, progress);
    }

    private static int split(Path dir, long seed, String split, int count, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        ObjectNode info = root.putObject("info");
        info.put("split", split);
        info.put("version", "percept-synth " + SyntheticWorld.VERSION);
        info.put("seed", seed);
        info.put("image_size", size.imageSize());
        ArrayNode scenes = root.putArray("scenes");
        for (int i = 0; i < count; i++) {
            Rendered shot = scene(seed, split, i, sampler);
            Scene scene = shot.scene();
            String file = String.format(Locale.ROOT, "CLEVR_%s_%06d.png", split, i);
            ImageFormats.png(dir.resolve("images/" + split + "/" + file), shot.rendering().rgb(), size.imageSize());
            ObjectNode s = scenes.addObject();
            s.put("image_index", i);
            s.put("image_filename", file);
            s.put("split", split);
            ArrayNode objects = s.putArray("objects");
            for (SceneObject o : scene.objects()) {
                ObjectNode n = objects.addObject();
                n.put("shape", o.category().label());
                n.put("color", o.colour().label());
                n.put("size", o.size() < LARGE ? "small" : "large");
                n.putArray("3d_coords").add(round(o.x())).add(round(o.z())).add(round(o.size()));
                double[] p = scene.camera().project(new double[] {o.x(), o.size(), o.z()}, size.imageSize());
                n.putArray("pixel_coords").add((int) Math.round(p[0])).add((int) Math.round(p[1])).add(round(p[2]));
                n.put("rotation", round(Math.toDegrees(o.yaw()) % 360));
            }
            progress.advance(1);
        }
        JsonFiles.write(dir.resolve("scenes/CLEVR_" + split + "_scenes.json"), root);
        return count;
    }

    /** Scene {@code index} of {@code split}, as written. */
    static Rendered scene(long seed, String split, int index, SceneSampler sampler) {
        SplittableRandom rng = Seeds.of(seed, "counting/" + split, index);
        return sampler.any(rng, MAX_COUNT);
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
