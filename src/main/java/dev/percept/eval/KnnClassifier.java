package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.tensor.CosineTopK;
import dev.percept.tensor.FeatureMatrix;

/**
 * Weighted k-nearest-neighbour classification as in DINO's evaluation: cosine similarity on
 * L2-normalised features, the k nearest training images vote for their class with weight
 * exp(similarity / T).
 */
public final class KnnClassifier {
    public static final int DEFAULT_K = 20;
    public static final double DEFAULT_TEMPERATURE = 0.07;

    private KnnClassifier() {}

    /** Predictions and the neighbours they came from. */
    public record Result(int[] predicted, CosineTopK.Neighbours neighbours) {}

    public static Result classify(FeatureMatrix train, int[] trainLabels, int classes, FeatureMatrix test, int k, double temperature) {
        if (k <= 0 || !(temperature > 0)) {
            throw new PerceptException("--k must be positive and --temperature above 0; got " + k + " and " + temperature);
        }
        CosineTopK.Neighbours nn = CosineTopK.search(test, train, k);
        return new Result(KnnVote.weighted(temperature).classify(nn, trainLabels, classes), nn);
    }
}
