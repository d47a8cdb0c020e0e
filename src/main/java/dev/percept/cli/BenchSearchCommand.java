package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.search.Quantization;
import dev.percept.search.SearchBenchmark;
import dev.percept.search.SyntheticEmbeddings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Lucene HNSW as `percept index` builds it, on synthetic embedding-like vectors or a file: build time, "
                + "size on disk, and recall@10 (against exact brute force) and queries/s per beam width; --write keeps "
                + "the vectors as .npy for tools/bench/faiss_hnsw.py.")
final class BenchSearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", paramLabel = "N", description = "Indexed vectors (generated). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--dim", defaultValue = "768", paramLabel = "D",
            description = "Dimension (generated, or of a .f32 --vectors file). Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--queries", defaultValue = "1000", paramLabel = "Q",
            description = "Queries, drawn like the data (generated) or the last Q rows of --vectors, held out. Default: ${DEFAULT-VALUE}.")
    int queries;

    @Option(names = "--clusters", defaultValue = "1000", paramLabel = "C", description = "Clusters of the generated vectors. Default: ${DEFAULT-VALUE}.")
    int clusters;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--vectors", paramLabel = "FILE",
            description = "Use these vectors instead: a 2-d float .npy, or raw little-endian float32 (.f32, with --dim). Rows are made unit length.")
    Path vectors;

    @Option(names = "--quantize", defaultValue = "none,int7,int4", split = ",", paramLabel = "Q",
            description = "Quantizations to measure. Default: ${DEFAULT-VALUE}.")
    List<String> quantize;

    @Option(names = "--candidates", defaultValue = "10,20,40,80,160,320", split = ",", paramLabel = "EF",
            description = "Beam widths searched (Lucene's k, FAISS's efSearch). Default: ${DEFAULT-VALUE}.")
    List<Integer> candidates;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Indexing, merging and searching threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R",
            description = "Timed passes over the queries per beam width (the best counts). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--write", paramLabel = "DIR", description = "Write the unit vectors here as base.npy and queries.npy.")
    Path write;

    @Override
    public Integer call() throws IOException {
        if (threads < 1 || rounds < 1 || queries < 1) {
            throw new PerceptException("--threads, --rounds and --queries must be positive");
        }
        for (int c : candidates) {
            if (c < SearchBenchmark.K) {
                throw new PerceptException("--candidates: each beam width must be at least " + SearchBenchmark.K + ", not " + c);
            }
        }
        List<Quantization> quantizations = quantize.stream().map(Quantization::parse).toList();
        float[][] all = vectors == null ? SyntheticEmbeddings.generate(rows + queries, dim, clusters, seed) : read(vectors);
        if (all.length <= queries) {
            throw new PerceptException(vectors + ": " + all.length + " rows; more than --queries " + queries + " are needed");
        }
        float[][] data = Arrays.copyOfRange(all, 0, all.length - queries);
        float[][] held = Arrays.copyOfRange(all, all.length - queries, all.length);
        if (write != null) {
            Files.createDirectories(write);
            Npy.write(write.resolve("base.npy"), flat(data));
            Npy.write(write.resolve("queries.npy"), flat(held));
        }
        Path work = Files.createTempDirectory("percept-bench-search");
        try {
            var err = spec.commandLine().getErr();
            List<SearchBenchmark.Result> results = SearchBenchmark.run(
                    new SearchBenchmark.Settings(data, held, quantizations, candidates, threads, rounds, work), err::println);
            System.out.printf(Locale.ROOT, "percept (Lucene 9.12.3 HNSW, M 16, beam 100), %d x %d, %d queries, %d threads%n",
                    data.length, data[0].length, held.length, threads);
            System.out.printf("%-6s %10s %10s %6s %9s %10s%n", "quant", "build_s", "size_MB", "ef", "recall@10", "QPS");
            for (SearchBenchmark.Result r : results) {
                for (SearchBenchmark.Point p : r.points()) {
                    System.out.printf(Locale.ROOT, "%-6s %10.1f %10.1f %6d %9.4f %10.0f%n", r.quantization(), r.buildSeconds(),
                            r.indexBytes() / 1e6, p.candidates(), p.recall(), p.qps());
                }
            }
            for (SearchBenchmark.Result r : results) {
                StringBuilder points = new StringBuilder();
                for (SearchBenchmark.Point p : r.points()) {
                    points.append(points.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                            "{\"ef\": %d, \"recall\": %.4f, \"qps\": %.1f}", p.candidates(), p.recall(), p.qps()));
                }
                System.out.printf(Locale.ROOT, "{\"engine\": \"percept\", \"quantize\": \"%s\", \"rows\": %d, \"dim\": %d, \"queries\": %d, "
                                + "\"threads\": %d, \"build_s\": %.2f, \"index_bytes\": %d, \"points\": [%s]}%n",
                        r.quantization(), data.length, data[0].length, held.length, threads, r.buildSeconds(), r.indexBytes(), points);
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** The rows of a 2-d .npy or of raw float32, each made unit length. */
    private float[][] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new PerceptException("--vectors " + file + ": no such file");
        }
        float[] flat;
        int width;
        if (file.getFileName().toString().endsWith(".npy")) {
            FloatArray a = Npy.readFloats(file);
            if (a.shape().length != 2) {
                throw new PerceptException(file + ": expected a 2-d array (rows x dimension), found shape " + Arrays.toString(a.shape()));
            }
            flat = a.data();
            width = (int) a.shape()[1];
        } else {
            long bytes = Files.size(file);
            if (bytes % (4L * dim) != 0) {
                throw new PerceptException(file + ": " + bytes + " bytes is not a whole number of float32 rows of --dim " + dim);
            }
            flat = new float[(int) (bytes / 4)];
            ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(flat);
            width = dim;
        }
        float[][] out = new float[flat.length / width][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
            SyntheticEmbeddings.normalise(out[i]);
        }
        return out;
    }

    private static FloatArray flat(float[][] rows) {
        int width = rows[0].length;
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * width, width);
        }
        return new FloatArray(new long[] {rows.length, width}, out);
    }
}
