package dev.percept.search;

import java.util.List;

/** Fake images for vectors that no model made: their identity, paths and an index of them. */
final class RandomVectors {
    private RandomVectors() {}

    /** The first {@code count} rows (queries) and the rest (data) of {@code all}. */
    static float[][][] split(float[][] all, int count) {
        return new float[][][] {java.util.Arrays.copyOfRange(all, 0, count), java.util.Arrays.copyOfRange(all, count, all.length)};
    }

    /** An identity for vectors that no model made (tests and benchmarks). */
    static ModelIdentity identity(int dim) {
        return new ModelIdentity("random", "0".repeat(64), List.of(), "", "default", "cls", "l2", "fp32", 224, "dreamsim", "", "", "", "", dim);
    }

    static String path(int i) {
        return "/vectors/" + (i % 10) + "/" + i + ".png";
    }

    /**
     * Writes the vectors as an index of fake images (paths {@link #path}) from two threads (two
     * graphs built at once, as on the 2-core CI machine), merged to one segment.
     */
    static void write(java.nio.file.Path location, float[][] vectors, Quantization q) {
        try (IndexBuilder b = IndexBuilder.open(location, identity(vectors[0].length), q, true)) {
            java.util.stream.IntStream.range(0, 2).parallel().forEach(half -> {
                for (int i = half; i < vectors.length; i += 2) {
                    b.put(new IndexedImage(path(i), 1, 1, Integer.toString(i)), vectors[i], new byte[] {1});
                }
            });
            b.forceMerge();
            b.commit();
        }
    }
}
