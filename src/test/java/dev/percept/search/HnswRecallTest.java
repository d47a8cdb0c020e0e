package dev.percept.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HNSW recall@10 against exact brute force, and the dimension limit raised for ensembles. */
class HnswRecallTest {
    @TempDir
    Path dir;

    @Test
    void recallAt10On10kEmbeddingLikeVectors() {
        recallAtLeast(10_000, 200, 1, 0.98, 0.95);
    }

    @Test
    @Tag("slow")
    void recallAt10On100kEmbeddingLikeVectors() {
        recallAtLeast(100_000, 500, 2, 0.98, 0.95);
    }

    /** {@code n} vectors in clusters of a hundred plus held-out queries from the same clusters. */
    private void recallAtLeast(int n, int queryCount, long seed, double float32, double int7) {
        float[][][] split = RandomVectors.split(SyntheticEmbeddings.generate(n + queryCount, 768, n / 100, seed), queryCount);
        float[][] queries = split[0];
        float[][] data = split[1];
        double none = recall(data, queries, Quantization.NONE);
        double seven = recall(data, queries, Quantization.INT7);
        assertTrue(none >= float32, "float32 recall@10 " + none);
        assertTrue(seven >= int7, "int7 recall@10 " + seven);
    }

    private double recall(float[][] data, float[][] queries, Quantization q) {
        Path location = dir.resolve(q.toString());
        long t0 = System.nanoTime();
        RandomVectors.write(location, data, q);
        long built = System.nanoTime() - t0;
        int found = 0;
        try (SearchIndex index = SearchIndex.open(location)) {
            for (float[] query : queries) {
                Set<String> exact = new HashSet<>(exactTop(data, query, 10));
                for (Hit h : index.search(query, 10, null)) {
                    found += exact.contains(h.path()) ? 1 : 0;
                }
            }
        }
        double recall = found / (10.0 * queries.length);
        System.out.printf(Locale.ROOT, "%s: %d x %d built in %.1f s, recall@10 %.4f%n", q, data.length, data[0].length, built / 1e9, recall);
        return recall;
    }

    static List<String> exactTop(float[][] data, float[] query, int k) {
        double[] d = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            d[i] = SearchIndex.distance(query, data[i]);
        }
        return IntStream.range(0, data.length).boxed()
                .sorted(Comparator.comparingDouble(i -> d[i]))
                .limit(k).map(RandomVectors::path).toList();
    }

    @Test
    void ensembleVectorsOf1792DimensionsIndexAndSearchInEveryQuantization() throws IOException {
        float[][] data = SyntheticEmbeddings.generate(300, 1792, 10, 3);
        for (Quantization q : Quantization.values()) {
            Path location = dir.resolve("e-" + q);
            RandomVectors.write(location, data, q);
            try (SearchIndex index = SearchIndex.open(location)) {
                assertEquals(1792, index.identity().dimension());
                List<Hit> hits = index.search(data[42], 5, null);
                assertEquals(RandomVectors.path(42), hits.get(0).path(), q.toString());
                assertEquals(0, hits.get(0).distance(), 1e-6);
                assertEquals(q, index.quantization());
                assertTrue(Arrays.equals(data[7], index.vectorOf(RandomVectors.path(7)).orElseThrow()));
            }
        }
        // Lucene's own format stops at 1024: the reason for percept's.
        try (IndexWriter plain = new IndexWriter(FSDirectory.open(dir.resolve("plain")), new IndexWriterConfig().setCodec(new Lucene912Codec()))) {
            Document doc = new Document();
            doc.add(new KnnFloatVectorField("v", data[0], VectorSimilarityFunction.DOT_PRODUCT));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.addDocument(doc));
            assertTrue(e.getMessage().contains("1024"), e.getMessage());
        }
    }

    @Test
    void underFiltersByFolder() {
        float[][] data = SyntheticEmbeddings.generate(500, 64, 5, 4);
        RandomVectors.write(dir.resolve("f"), data, Quantization.NONE);
        try (SearchIndex index = SearchIndex.open(dir.resolve("f"))) {
            List<Hit> hits = index.search(data[0], 20, "/vectors/3");
            assertEquals(20, hits.size());
            hits.forEach(h -> assertTrue(h.path().startsWith("/vectors/3/"), h.path()));
            assertEquals(exactTopUnder(data, data[0], "/vectors/3/"), hits.stream().map(Hit::path).toList());
        }
    }

    private static List<String> exactTopUnder(float[][] data, float[] query, String prefix) {
        return IntStream.range(0, data.length).boxed()
                .filter(i -> RandomVectors.path(i).startsWith(prefix))
                .sorted(Comparator.comparingDouble(i -> SearchIndex.distance(query, data[i])))
                .limit(20).map(RandomVectors::path).toList();
    }
}
