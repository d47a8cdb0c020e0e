package dev.percept.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a downstream protocol can be told, with the defaults the command line shows.
 *
 * @param trainSplit null for the layout's own
 * @param testSplit null for the layout's own
 * @param galleryQueries how many test queries (drawn with the seed) keep their nearest neighbours
 *     for galleries
 * @param trainData depth: the dataset whose train split trains the probe, tested on the data's test
 *     split (transfer); null for the data's own train split
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
        long seed,
        Path trainData) {

    public static final double MIN_DEPTH = 1e-3;
    public static final double MAX_DEPTH = 10;
    public static final int GALLERY_QUERIES = 8;

    public static TaskOptions defaults(long seed) {
        return new TaskOptions(null, null, null, KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE,
                LinearProbe.Settings.defaults(seed), RidgeRegression.DEFAULT_PENALTIES, DenseProbe.Settings.defaults(seed),
                MIN_DEPTH, MAX_DEPTH, GALLERY_QUERIES, seed, null);
    }

    public TaskOptions withTrainData(Path dir) {
        return new TaskOptions(layout, trainSplit, testSplit, k, temperature, linear, ridgePenalties, dense, minDepth, maxDepth,
                galleryQueries, seed, dir);
    }
}
