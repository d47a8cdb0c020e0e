package dev.percept.eval;

import java.util.List;

/**
 * Everything a downstream protocol can be told, with the defaults the command line shows.
 *
 * @param trainSplit null for the layout's own
 * @param testSplit null for the layout's own
 * @param galleryQueries how many test queries (drawn with the seed) keep their nearest neighbours
 *     for galleries
 */
public record TaskOptions(
        String layout,
        String trainSplit,
        String testSplit,
        int k,
        double temperature,
        LinearProbe.Settings linear,
        List<Double> ridgePenalties,
        DenseProbe.Settings dense,
        double minDepth,
        double maxDepth,
        int galleryQueries,
        long seed) {

    public static final double MIN_DEPTH = 1e-3;
    public static final double MAX_DEPTH = 10;
    public static final int GALLERY_QUERIES = 8;

    public static TaskOptions defaults(long seed) {
        return new TaskOptions(null, null, null, KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE,
                LinearProbe.Settings.defaults(seed), RidgeRegression.DEFAULT_PENALTIES, DenseProbe.Settings.defaults(seed),
                MIN_DEPTH, MAX_DEPTH, GALLERY_QUERIES, seed);
    }
}
