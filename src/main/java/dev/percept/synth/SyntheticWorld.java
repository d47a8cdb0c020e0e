package dev.percept.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.io.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The synthetic perceptual world: every dataset rendered from one seed into one folder (layout
 * in the README, "Synthetic world"). The world is built in a hidden sibling folder and renamed
 * into place when complete, with {@code world.json} (seed, size, version, counts) inside; a
 * second build with the same seed and size finds it and reuses it, any other is refused.
 */
public final class SyntheticWorld {
    /** Bumped whenever the same seed would render different files. */
    public static final int VERSION = 4;
    public static final String MANIFEST = "world.json";

    private SyntheticWorld() {}

    public static World build(Path out, long seed, Size size, Progress progress) {
        Path root = out.toAbsolutePath().normalize();
        Path manifest = root.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            return reuse(root, seed, size);
        }
        if (Files.exists(root) && !emptyDirectory(root)) {
            throw new PerceptException(root + " exists and is not a synthetic world (no " + MANIFEST
                    + "); choose a new --out folder or an empty one");
        }
        Path partial = root.resolveSibling("." + root.getFileName() + ".partial");
        delete(partial); // what an interrupted build left
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("nights", NightsWriter.write(partial.resolve("nights"), seed, size, progress));
        counts.put("bapps", BappsWriter.write(partial.resolve("bapps"), seed, size, progress));
        counts.put("things", ThingsWriter.write(partial.resolve("things"), seed, size, progress));
        counts.put("imagenet", ClassFolderWriter.write(partial.resolve("imagenet"), seed, "imagenet",
                new String[] {"train", "val"}, new int[] {size.imagenetTrain(), size.imagenetVal()}, size, progress));
        counts.put("classification", ClassFolderWriter.write(partial.resolve("classification"), seed, "classification",
                new String[] {"train", "val", "test"}, new int[] {size.classTrain(), size.classVal(), size.classTest()}, size,
                progress));
        counts.put("counting", CountingWriter.write(partial.resolve("counting"), seed, size, progress));
        counts.put("segmentation", SegmentationWriter.write(partial.resolve("segmentation"), seed, size, progress));
        counts.put("depth", DepthWriter.write(partial.resolve("depth"), seed, size, progress));
        counts.put("retrieval", RetrievalWriter.write(partial.resolve("retrieval"), seed, size, progress));
        World world = new World(root, seed, size.name(), size.imageSize(), size.focal(), counts, false);
        JsonFiles.write(partial.resolve(MANIFEST), manifest(world));
        try {
            Files.deleteIfExists(root); // an empty folder given as --out
            Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PerceptException("cannot move the finished world from " + partial + " to " + root + ": " + e, e);
        }
        return world;
    }

    private static World reuse(Path root, long seed, Size size) {
        JsonNode m = JsonFiles.readObject(root.resolve(MANIFEST));
        int version = m.path("version").asInt(-1);
        long haveSeed = m.path("seed").asLong();
        String haveSize = m.path("size").asText();
        if (version != VERSION || haveSeed != seed || !haveSize.equals(size.name())) {
            throw new PerceptException(root.resolve(MANIFEST) + ": this folder holds a world of seed " + haveSeed + ", size "
                    + haveSize + ", version " + version + "; asked for seed " + seed + ", size " + size.name() + ", version "
                    + VERSION + ". Choose another --out folder or delete this one");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        m.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return new World(root, seed, haveSize, m.path("image_size").asInt(), m.path("focal").asDouble(), counts, true);
    }

    private static ObjectNode manifest(World w) {
        ObjectNode m = JsonFiles.mapper().createObjectNode();
        m.put("version", VERSION);
        m.put("seed", w.seed());
        m.put("size", w.size());
        m.put("image_size", w.imageSize());
        m.put("focal", w.focal());
        m.put("depth_far_m", Renderer.FAR);
        ObjectNode counts = m.putObject("counts");
        w.counts().forEach(counts::put);
        var categories = m.putArray("categories");
        for (Category c : Category.values()) {
            categories.add(c.label());
        }
        return m;
    }

    private static boolean emptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new PerceptException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new PerceptException("cannot remove the unfinished world " + dir + ": " + e.getMessage(), e);
        }
    }
}
