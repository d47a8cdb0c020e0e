package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.tensor.CosineTopK;
import java.util.Arrays;

/**
 * The vote of k nearest neighbours for a class: each neighbour adds its weight to its class, and
 * the class with the largest total wins.
 *
 * @param weighting what one neighbour's vote weighs
 * @param temperature T in exp(similarity / T) for {@link Weighting#EXP_SIMILARITY}; unused otherwise
 * @param ties which class an equal total goes to
 */
public record KnnVote(Weighting weighting, double temperature, Ties ties) {
    public enum Weighting {
        /** One vote per neighbour: the most frequent class. */
        COUNT,
        /** exp(similarity / T), as DINO's kNN evaluation weighs them. */
        EXP_SIMILARITY
    }

    public enum Ties {
        /** The lowest class index among the tied. */
        LOWEST_CLASS,
        /** The class of the nearest neighbour among the tied classes' neighbours. */
        NEAREST_NEIGHBOUR
    }

    public KnnVote {
        if (weighting == Weighting.EXP_SIMILARITY && !(temperature > 0)) {
            throw new PerceptException("--temperature must be above 0, got " + temperature);
        }
    }

    /** DINO's weighted vote. */
    public static KnnVote weighted(double temperature) {
        return new KnnVote(Weighting.EXP_SIMILARITY, temperature, Ties.LOWEST_CLASS);
    }

    /** One vote per neighbour, with a tie rule. */
    public static KnnVote counted(Ties ties) {
        return new KnnVote(Weighting.COUNT, 0, ties);
    }

    /**
     * The winning class among {@code count} neighbours starting at {@code from}: their classes and
     * similarities, in any order.
     */
    public int vote(int[] classes, double[] similarities, int from, int count, int classCount) {
        double[] totals = new double[classCount];
        double[] nearest = new double[classCount];
        Arrays.fill(nearest, Double.NEGATIVE_INFINITY);
        for (int j = from; j < from + count; j++) {
            int c = classes[j];
            totals[c] += weighting == Weighting.COUNT ? 1 : Math.exp(similarities[j] / temperature);
            nearest[c] = Math.max(nearest[c], similarities[j]);
        }
        int best = 0;
        for (int c = 1; c < classCount; c++) {
            if (totals[c] > totals[best]
                    || ties == Ties.NEAREST_NEIGHBOUR && totals[c] == totals[best] && nearest[c] > nearest[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Per query of {@code nn}, the winning class of its neighbours, whose classes are {@code keyClasses}. */
    public int[] classify(CosineTopK.Neighbours nn, int[] keyClasses, int classCount) {
        int k = nn.k();
        int[] classes = new int[nn.indices().length];
        double[] similarities = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = keyClasses[nn.indices()[i]];
            similarities[i] = nn.similarities()[i];
        }
        int[] predicted = new int[nn.queries()];
        for (int q = 0; q < predicted.length; q++) {
            predicted[q] = vote(classes, similarities, q * k, k, classCount);
        }
        return predicted;
    }
}
