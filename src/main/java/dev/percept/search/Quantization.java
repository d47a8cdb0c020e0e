package dev.percept.search;

import dev.percept.PerceptException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

/** How the index stores vectors for its HNSW graph: float32, or Lucene's scalar quantization to 7 or 4 bits. */
public enum Quantization {
    NONE,
    INT7,
    INT4;

    public static Quantization parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PerceptException("--quantize must be none, int7 or int4, not " + s);
        }
    }

    /**
     * The vectors format for this quantization, with percept's dimension limit, merging graphs
     * with {@code mergeWorkers} tasks on {@code merges} (null for one worker, on the merging thread).
     */
    HnswVectorsFormat format(int mergeWorkers, ExecutorService merges) {
        return switch (this) {
            case NONE -> new HnswVectorsFormat.Float32(mergeWorkers, merges);
            case INT7 -> new HnswVectorsFormat.Int7(mergeWorkers, merges);
            case INT4 -> new HnswVectorsFormat.Int4(mergeWorkers, merges);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
