package dev.percept.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nearest neighbours by cosine similarity, as retrieval-augmented classification uses them. */
class CosineTopKTest {
    @BeforeAll
    static void engine() {
        Engine.start(2);
    }

    @Test
    void neighboursComeNearestFirstWhateverTheVectorLengths() {
        float[] queries = {1, 0, 0, 1, 1, 0.9f};
        float[] keys = {2, 0, 0, 3, 1, 1.1f, -1, 0};
        CosineTopK.Neighbours top = CosineTopK.search(queries, keys, 2, 2);
        assertArrayEquals(new int[] {0, 2, 1, 2, 2, 0}, top.indices());
        assertEquals(1.0, top.similarities()[0], 1e-6);
        assertEquals(1 / Math.sqrt(1 + 1.1 * 1.1), top.similarities()[1], 1e-6);
        assertEquals((1 + 0.9 * 1.1) / Math.sqrt(1 + 0.81) / Math.sqrt(1 + 1.21), top.similarities()[4], 1e-6);
    }

    @Test
    void everyBlockOfQueryRowsFindsItself() {
        int n = 2500; // more than two blocks of query rows
        int dim = 8;
        float[] rows = new float[n * dim];
        Random random = new Random(7);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) random.nextGaussian();
        }
        CosineTopK.Neighbours top = CosineTopK.search(rows, rows, dim, 1);
        for (int q = 0; q < n; q++) {
            assertEquals(q, top.indices()[q]);
            assertEquals(1.0, top.similarities()[q], 1e-5);
        }
    }
}
