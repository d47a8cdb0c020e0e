package dev.percept.synth;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished synthetic world on disk, as its {@code world.json} describes it.
 *
 * @param counts items per dataset (triplets, images or identities; see the README)
 * @param reused whether an existing world was found and kept rather than rendered
 */
public record World(Path root, long seed, String size, int imageSize, double focal, Map<String, Integer> counts,
        boolean reused) {
    public World {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts)); // keeps the datasets' order
    }
}
