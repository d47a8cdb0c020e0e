package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one kNN vote: its weighting and its tie rule, as each caller uses them. */
class KnnVoteTest {
    // neighbours of one query: classes 2, 0, 0, 2 with these similarities
    private static final int[] CLASSES = {2, 0, 0, 2};
    private static final double[] SIMILARITIES = {0.95, 0.9, 0.5, 0.1};

    @Test
    void countedTiesGoToTheLowestClassOrToTheNearestNeighbour() {
        assertEquals(0, KnnVote.counted(KnnVote.Ties.LOWEST_CLASS).vote(CLASSES, SIMILARITIES, 0, 4, 3));
        assertEquals(2, KnnVote.counted(KnnVote.Ties.NEAREST_NEIGHBOUR).vote(CLASSES, SIMILARITIES, 0, 4, 3));
    }

    @Test
    void aClearMajorityWinsWhateverTheTieRule() {
        int[] classes = {1, 0, 0, 1, 0};
        double[] similarities = {0.99, 0.2, 0.2, 0.9, 0.1};
        assertEquals(0, KnnVote.counted(KnnVote.Ties.NEAREST_NEIGHBOUR).vote(classes, similarities, 0, 5, 2));
        assertEquals(1, KnnVote.counted(KnnVote.Ties.NEAREST_NEIGHBOUR).vote(classes, similarities, 0, 4, 2), "the first four tie");
    }

    @Test
    void weightedVotesFollowExpSimilarityOverTemperature() {
        // class 2: e^(0.95/T) + e^(0.1/T); class 0: e^(0.9/T) + e^(0.5/T)
        assertEquals(0, KnnVote.weighted(10).vote(CLASSES, SIMILARITIES, 0, 4, 3)); // nearly counts: 2.11 against 2.15
        assertEquals(2, KnnVote.weighted(0.07).vote(CLASSES, SIMILARITIES, 0, 4, 3));
        assertEquals(0, KnnVote.weighted(0.07).vote(CLASSES, SIMILARITIES, 1, 2, 3), "a window of the neighbours");
    }
}
