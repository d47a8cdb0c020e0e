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
        int[] firstHits = new int[neighbours.length];
        for (int q = 0; q < neighbours.length; q++) {
            firstHits[q] = Integer.MAX_VALUE;
            for (int rank = 0; rank < neighbours[q].length; rank++) {
                if (!Collections.disjoint(queryItems.get(q), galleryItems.get(neighbours[q][rank]))) {
                    firstHits[q] = rank;
                    break;
                }
            }
        }
        return fromFirstHits(firstHits);
    }

    /**
     * The same metrics from each query's rank of its first correct gallery image
     * ({@code Integer.MAX_VALUE} for none among its neighbours): what a search that ran elsewhere
     * (the Spark job's) reports.
     */
    public static List<Metric> fromFirstHits(int[] firstHits) {
        double[][] rows = new double[firstHits.length][];
        for (int q = 0; q < firstHits.length; q++) {
            rows[q] = new double[KS.length];
            for (int j = 0; j < KS.length; j++) {
                rows[q][j] = firstHits[q] < KS[j] ? 1 : 0;
            }
        }
        List<Metric> out = new ArrayList<>();
        for (int j = 0; j < KS.length; j++) {
            out.add(Metric.mean("recall@" + KS[j], true, rows, j));
        }
        return out;
    }
}
