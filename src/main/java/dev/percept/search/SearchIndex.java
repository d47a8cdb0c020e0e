package dev.percept.search;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOUtils;

/**
 * An index written by {@code percept index}, opened for queries at its last commit. Thread-safe:
 * the server answers concurrent requests from one instance.
 */
public final class SearchIndex implements AutoCloseable {
    static final int MIN_CANDIDATES = 100;
    private final Path location;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final ModelIdentity identity;
    private final Quantization quantization;

    private SearchIndex(Path location, Directory directory, DirectoryReader reader, Map<String, String> data) {
        this.location = location;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.identity = ModelIdentity.fromJson(data.get(IndexSchema.KEY_IDENTITY), location);
        this.quantization = Quantization.parse(data.get(IndexSchema.KEY_QUANTIZATION));
    }

    public static SearchIndex open(Path location) {
        if (!Files.isDirectory(location)) {
            throw new PerceptException("index " + location + " does not exist; build it with `percept index --out " + location + "`");
        }
        Directory dir = null;
        try {
            dir = FSDirectory.open(location);
            if (!DirectoryReader.indexExists(dir)) {
                throw new PerceptException(location + " is not a search index (no Lucene commit in it)");
            }
            DirectoryReader reader = DirectoryReader.open(dir);
            Map<String, String> data = reader.getIndexCommit().getUserData();
            if (!IndexSchema.FORMAT.equals(data.get(IndexSchema.KEY_FORMAT))) {
                reader.close();
                throw new PerceptException(location + " is a Lucene index but not one `percept index` wrote");
            }
            return new SearchIndex(location, dir, reader, data);
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(dir); // already failing with a better message
            throw new PerceptException("cannot open index " + location + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            IOUtils.closeWhileHandlingException(dir); // already failing with a better message
            throw e;
        }
    }

    public Path location() {
        return location;
    }

    public ModelIdentity identity() {
        return identity;
    }

    public Quantization quantization() {
        return quantization;
    }

    /** Number of images. */
    public int size() {
        return reader.numDocs();
    }

    /** The stored vector of an indexed image, looked up by its exact indexed path. */
    public Optional<float[]> vectorOf(String path) {
        return docOf(path).map(this::vector);
    }

    /** The stored PNG thumbnail of an indexed image. */
    public Optional<byte[]> thumbnail(String path) {
        return docOf(path).map(doc -> {
            try {
                var ref = reader.storedFields().document(doc).getBinaryValue(IndexSchema.THUMBNAIL);
                byte[] out = new byte[ref.length];
                System.arraycopy(ref.bytes, ref.offset, out, 0, ref.length);
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public boolean contains(String path) {
        return docOf(path).isPresent();
    }

    /**
     * The {@code k} nearest images to {@code query} (a unit vector), nearest first, restricted to
     * images under {@code under} (an absolute folder) when it is not null. Distances are exact
     * 1 - cos from the stored float vectors, also when the graph is quantized. The graph is
     * searched with a beam of at least {@value #MIN_CANDIDATES} (Lucene's beam is its k; ten
     * alone finds a third of the true top ten on clustered data), twice k when quantized, and
     * the candidates are re-ranked exactly.
     */
    public List<Hit> search(float[] query, int k, String under) {
        if (query.length != identity.dimension()) {
            throw new PerceptException("query has " + query.length + " dimensions, the index " + identity.dimension());
        }
        if (k <= 0) {
            throw new PerceptException("k must be positive, got " + k);
        }
        int candidates = Math.max(MIN_CANDIDATES, quantization == Quantization.NONE ? k : 2 * k);
        Query filter = under == null ? null : new TermQuery(new Term(IndexSchema.FOLDER, under));
        try {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(IndexSchema.VECTOR, query, candidates, filter), candidates);
            StoredFields stored = reader.storedFields();
            List<Hit> hits = new ArrayList<>();
            for (ScoreDoc sd : top.scoreDocs) {
                String path = stored.document(sd.doc).get(IndexSchema.PATH);
                hits.add(new Hit(path, distance(query, vector(sd.doc))));
            }
            hits.sort(Comparator.comparingDouble(Hit::distance).thenComparing(Hit::path));
            return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * 1 - a.b for unit vectors, in double precision, at least 0: float rounding can put an image's
     * dot product with itself a hair above 1, which would print as -0.0000.
     */
    public static double distance(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return Math.max(0, 1 - dot);
    }

    /** Every indexed image (without vectors). */
    public List<IndexedImage> images() {
        List<IndexedImage> out = new ArrayList<>();
        forEach(e -> out.add(e.image()));
        return out;
    }

    /** Every image with its vector, in index order. */
    public void forEach(Consumer<Entry> action) {
        try {
            for (LeafReaderContext leaf : reader.leaves()) {
                LeafReader r = leaf.reader();
                Bits live = r.getLiveDocs();
                StoredFields stored = r.storedFields();
                FloatVectorValues values = r.getFloatVectorValues(IndexSchema.VECTOR);
                if (values == null) {
                    continue;
                }
                for (int doc = values.nextDoc(); doc != FloatVectorValues.NO_MORE_DOCS; doc = values.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document d = stored.document(doc);
                    IndexedImage image = new IndexedImage(d.get(IndexSchema.PATH),
                            d.getField(IndexSchema.SIZE).numericValue().longValue(),
                            d.getField(IndexSchema.MODIFIED).numericValue().longValue(),
                            d.get(IndexSchema.SHA256));
                    action.accept(new Entry(image, values.vectorValue().clone()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An indexed image and its vector. */
    public record Entry(IndexedImage image, float[] vector) {}

    private Optional<Integer> docOf(String path) {
        try {
            TopDocs top = searcher.search(new TermQuery(new Term(IndexSchema.PATH, path)), 1);
            return top.scoreDocs.length == 0 ? Optional.empty() : Optional.of(top.scoreDocs[0].doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private float[] vector(int doc) {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        try {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
            int local = doc - leaf.docBase;
            if (values == null || values.advance(local) != local) {
                throw new IllegalStateException("document " + doc + " of " + location + " has no vector");
            }
            return values.vectorValue().clone();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
