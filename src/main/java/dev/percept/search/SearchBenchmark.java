package dev.percept.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * Lucene HNSW as percept configures it (16 neighbours, build beam 100, dot product on unit
 * vectors), measured on given vectors: build time with {@code threads} indexing threads and as
 * many merge workers, size on disk, and, per beam width (Lucene's k, FAISS's efSearch), recall@10
 * against exact brute force and queries per second with {@code threads} searching threads. A
 * quantized graph's candidates are re-ranked with the exact float distances, as
 * {@link SearchIndex#search} does.
 */
public final class SearchBenchmark {
    public static final int K = 10;
    private static final String ROW = "row";

    private SearchBenchmark() {}

    /** {@code data} and {@code queries} are unit vectors; {@code candidates}: beam widths, each at least {@value #K}. */
    public record Settings(float[][] data, float[][] queries, List<Quantization> quantizations, List<Integer> candidates, int threads,
            int rounds, Path work) {}

    /** One beam width: recall@10 and the best queries per second over the rounds. */
    public record Point(int candidates, double recall, double qps) {}

    public record Result(Quantization quantization, double buildSeconds, long indexBytes, List<Point> points) {}

    public static List<Result> run(Settings s, Consumer<String> log) {
        long t0 = System.nanoTime();
        int[][] truth = exactTop(s.data(), s.queries(), K, s.threads());
        log.accept(String.format(java.util.Locale.ROOT, "exact top %d of %d queries over %d x %d: %.1f s", K, s.queries().length,
                s.data().length, s.data()[0].length, (System.nanoTime() - t0) / 1e9));
        List<Result> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(s.threads());
        try {
            for (Quantization q : s.quantizations()) {
                Path location = s.work().resolve("lucene-" + q);
                double build = build(location, s.data(), q, s.threads(), pool);
                long bytes = size(location);
                log.accept(String.format(java.util.Locale.ROOT, "%s: built in %.1f s, %.1f MB", q, build, bytes / 1e6));
                results.add(new Result(q, build, bytes, search(location, s, q, truth, pool)));
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    /** Indexes every row (the row number as doc values) from {@code threads} threads, then merges to one graph; seconds taken. */
    static double build(Path location, float[][] data, Quantization q, int threads, ExecutorService pool) {
        long start = System.nanoTime();
        ExecutorService merges = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        double ramMb = 64 + 2.0 * data.length * data[0].length * 4 / (1 << 20); // one flush per indexing thread
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(IndexSchema.codec(q, threads, merges))
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setRAMBufferSizeMB(Math.min(ramMb, 1900))
                .setRAMPerThreadHardLimitMB(1945);
        try (Directory dir = FSDirectory.open(location);
                IndexWriter writer = new IndexWriter(dir, config)) {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < data.length; i += threads) {
                        Document doc = new Document();
                        doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, data[i], VectorSimilarityFunction.DOT_PRODUCT));
                        doc.add(new NumericDocValuesField(ROW, i));
                        writer.addDocument(doc);
                    }
                    return null;
                }));
            }
            await(parts);
            writer.forceMerge(1);
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (merges != null) {
                merges.shutdownNow();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<Point> search(Path location, Settings s, Quantization q, int[][] truth, ExecutorService pool) {
        try (Directory dir = FSDirectory.open(location);
                DirectoryReader reader = DirectoryReader.open(dir)) {
            if (reader.leaves().size() != 1) {
                throw new IllegalStateException(location + " has " + reader.leaves().size() + " segments after merging to one");
            }
            LeafReader leaf = reader.leaves().get(0).reader();
            int[] rowOf = rows(leaf);
            int maxCandidates = s.candidates().stream().mapToInt(Integer::intValue).max().orElseThrow();
            searchAll(leaf, rowOf, s, q, maxCandidates, pool); // warm-up: JIT and page cache
            double[] best = new double[s.candidates().size()];
            double[] recall = new double[best.length];
            for (int round = 0; round < s.rounds(); round++) {
                for (int c = 0; c < best.length; c++) {
                    long t0 = System.nanoTime();
                    int[][] found = searchAll(leaf, rowOf, s, q, s.candidates().get(c), pool);
                    best[c] = Math.max(best[c], s.queries().length / ((System.nanoTime() - t0) / 1e9));
                    recall[c] = recall(found, truth);
                }
            }
            List<Point> points = new ArrayList<>();
            for (int c = 0; c < best.length; c++) {
                points.add(new Point(s.candidates().get(c), recall[c], best[c]));
            }
            return points;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every query's top {@value #K} rows, the queries split across the pool's threads. */
    private static int[][] searchAll(LeafReader leaf, int[] rowOf, Settings s, Quantization q, int candidates, ExecutorService pool) {
        float[][] queries = s.queries();
        int[][] found = new int[queries.length][];
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < s.threads(); t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                for (int i = first; i < queries.length; i += s.threads()) {
                    TopDocs top = leaf.searchNearestVectors(IndexSchema.VECTOR, queries[i], candidates, null, Integer.MAX_VALUE);
                    found[i] = q == Quantization.NONE ? firstRows(top, rowOf) : reranked(top, rowOf, s.data(), queries[i]);
                }
                return null;
            }));
        }
        await(parts);
        return found;
    }

    private static int[] firstRows(TopDocs top, int[] rowOf) {
        int n = Math.min(K, top.scoreDocs.length);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = rowOf[top.scoreDocs[i].doc];
        }
        return rows;
    }

    /** The candidates re-ranked by their exact dot product with the query: what a quantized search returns. */
    private static int[] reranked(TopDocs top, int[] rowOf, float[][] data, float[] query) {
        TopK best = new TopK(K);
        for (ScoreDoc sd : top.scoreDocs) {
            int row = rowOf[sd.doc];
            best.offer(row, VectorUtil.dotProduct(data[row], query));
        }
        return best.rows();
    }

    private static int[] rows(LeafReader leaf) throws IOException {
        int[] rowOf = new int[leaf.maxDoc()];
        NumericDocValues values = leaf.getNumericDocValues(ROW);
        for (int doc = values.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
            rowOf[doc] = (int) values.longValue();
        }
        return rowOf;
    }

    /** Mean over queries of |found ∩ truth| / {@value #K}. */
    static double recall(int[][] found, int[][] truth) {
        long hits = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int r : found[i]) {
                for (int t : truth[i]) {
                    if (r == t) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return hits / ((double) K * truth.length);
    }

    /** Exact top {@code k} rows of {@code data} by dot product for every query, on {@code threads} threads. */
    public static int[][] exactTop(float[][] data, float[][] queries, int k, int threads) {
        int[][] out = new int[queries.length][];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < queries.length; i += threads) {
                        TopK best = new TopK(k);
                        for (int r = 0; r < data.length; r++) {
                            best.offer(r, VectorUtil.dotProduct(data[r], queries[i]));
                        }
                        out[i] = best.rows();
                    }
                    return null;
                }));
            }
            await(parts);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static void await(List<Future<?>> parts) {
        try {
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static long size(Path location) {
        try (Stream<Path> files = Files.list(location)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The k highest scores seen, as rows best first (ties: the lower row). */
    static final class TopK {
        private final int[] rows;
        private final float[] scores;
        private int size;

        TopK(int k) {
            rows = new int[k];
            scores = new float[k];
        }

        void offer(int row, float score) {
            if (size == rows.length && score <= scores[size - 1]) {
                return;
            }
            int i = size < rows.length ? size++ : size - 1;
            while (i > 0 && scores[i - 1] < score) {
                rows[i] = rows[i - 1];
                scores[i] = scores[i - 1];
                i--;
            }
            rows[i] = row;
            scores[i] = score;
        }

        int[] rows() {
            return Arrays.copyOf(rows, size);
        }
    }
}
