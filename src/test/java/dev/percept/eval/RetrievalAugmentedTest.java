package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vote used without a vision-language model, and the interval over seeds. */
class RetrievalAugmentedTest {
    private static RetrievalAugmented.Example ex(String label, double similarity) {
        return new RetrievalAugmented.Example(Path.of(label + similarity + ".png"), label, similarity);
    }

    @Test
    void theMostFrequentLabelWinsAndATieGoesToTheNearestExample() {
        List<String> classes = List.of("a", "b", "c");
        Path q = Path.of("q.png");
        assertEquals(1, RetrievalAugmented.vote(new RetrievalAugmented.Episode(q,
                List.of(ex("a", 0.99), ex("b", 0.5), ex("b", 0.4)), classes)).label());
        assertEquals(2, RetrievalAugmented.vote(new RetrievalAugmented.Episode(q,
                List.of(ex("a", 0.7), ex("c", 0.9), ex("b", 0.8)), classes)).label());
        assertEquals(0, RetrievalAugmented.vote(new RetrievalAugmented.Episode(q,
                List.of(ex("c", 0.2), ex("a", 0.95), ex("c", 0.3), ex("a", 0.1)), classes)).label());
    }

    @Test
    void seedIntervalIsTheStudentTIntervalOfTheMean() {
        Bootstrap.Interval i = SeedInterval.of(new double[] {0.5, 0.6, 0.7, 0.8, 0.9});
        // sd = sqrt(0.1 / 4) = 0.158114; half width = 2.7764 * 0.158114 / sqrt(5) = 0.196321
        assertEquals(0.7, i.mean(), 1e-12);
        assertEquals(0.7 - 0.196321, i.low(), 1e-6);
        assertEquals(0.7 + 0.196321, i.high(), 1e-6);
        assertEquals(5, i.n());
    }
}
