package dev.percept.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's vectors: reproducible, unit length, and with neighbours that stand out (neither noise nor trivial). */
class SyntheticEmbeddingsTest {
    @Test
    void sameSeedSameUnitVectorsWithMeaningfulNeighbours() {
        float[][] a = SyntheticEmbeddings.generate(2000, 256, 20, 9);
        assertArrayEquals(a[1234], SyntheticEmbeddings.generate(2000, 256, 20, 9)[1234]);
        double nearest = 0;
        double random = 0;
        for (int i = 0; i < 100; i++) {
            double best = 2;
            for (int j = 0; j < a.length; j++) {
                if (j != i) {
                    best = Math.min(best, SearchIndex.distance(a[i], a[j]));
                }
            }
            nearest += best / 100;
            random += SearchIndex.distance(a[i], a[(i * 7919 + 1) % a.length]) / 100;
            double norm = SearchIndex.distance(a[i], a[i]);
            assertEquals(0, norm, 1e-6);
        }
        // Measured: nearest 0.343, random pair 0.971. Isotropic noise would put both near 1; a
        // trivially easy set would put the nearest neighbour near 0.
        assertTrue(nearest > 0.30 && nearest < 0.39, "mean nearest-neighbour distance " + nearest);
        assertTrue(random > 0.9 && random < 1.05, "mean random-pair distance " + random);
    }
}
