package dev.percept.eval;

import org.bytedeco.pytorch.Tensor;

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
    public record Result(int[] predicted, NearestNeighbours.Result neighbours) {}

    public static Result classify(Tensor train, int[] trainLabels, int classes, Tensor test, int k, double temperature) {
        if (k <= 0 || !(temperature > 0)) {
            throw new dev.percept.PerceptException("--k must be positive and --temperature above 0; got " + k + " and " + temperature);
        }
        NearestNeighbours.Result nn = NearestNeighbours.search(test, train, k);
        int[] predicted = new int[nn.indices().length];
        double[] votes = new double[classes];
        for (int q = 0; q < predicted.length; q++) {
            java.util.Arrays.fill(votes, 0);
            for (int j = 0; j < nn.indices()[q].length; j++) {
                votes[trainLabels[nn.indices()[q][j]]] += Math.exp(nn.similarities()[q][j] / temperature);
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            predicted[q] = best;
        }
        return new Result(predicted, nn);
    }
}
