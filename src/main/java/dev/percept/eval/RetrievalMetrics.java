package dev.percept.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Recall@k for instance retrieval: a query counts at k when one of its k nearest gallery images
 * shows one of the query's items.
 */
public final class RetrievalMetrics {
    public static final int[] KS = {1, 3, 5};

    private RetrievalMetrics() {}

    /**
     * {@code recall@1}, {@code recall@3}, {@code recall@5}.
     *
     * @param neighbours per query, gallery indices nearest first (at least max k, or the whole gallery)
     */
    public static List<Metric> metrics(int[][] neighbours, List<Set<String>> queryItems, List<Set<String>> galleryItems) {
        double[][] rows = new double[neighbours.length][];
        for (int q = 0; q < neighbours.length; q++) {
            rows[q] = new double[KS.length];
            int firstHit = Integer.MAX_VALUE;
            for (int rank = 0; rank < neighbours[q].length; rank++) {
                if (!Collections.disjoint(queryItems.get(q), galleryItems.get(neighbours[q][rank]))) {
                    firstHit = rank;
                    break;
                }
            }
            for (int j = 0; j < KS.length; j++) {
                rows[q][j] = firstHit < KS[j] ? 1 : 0;
            }
        }
        List<Metric> out = new ArrayList<>();
        for (int j = 0; j < KS.length; j++) {
            out.add(Metric.mean("recall@" + KS[j], true, rows, j));
        }
        return out;
    }
}
