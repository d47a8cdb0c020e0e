package dev.percept.search;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW vectors formats with a dimension limit of {@value #MAX_DIMENSIONS} instead of
 * Lucene's 1024, so that ensembles (1792 dimensions for DreamSim's) fit. The files are Lucene's
 * own; only the name recorded per field differs, and each name is registered (META-INF/services)
 * so that a reader finds the same format again.
 */
public abstract class HnswVectorsFormat extends KnnVectorsFormat {
    /** Above every ensemble percept builds; Lucene's own ceiling for a graph field is far higher. */
    public static final int MAX_DIMENSIONS = 4096;
    /** Lucene's defaults: 16 neighbours per node, a beam of 100 while building. */
    static final int MAX_CONN = 16;
    static final int BEAM_WIDTH = 100;

    private final KnnVectorsFormat delegate;

    HnswVectorsFormat(String name, KnnVectorsFormat delegate) {
        super(name);
        this.delegate = delegate;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return delegate.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return MAX_DIMENSIONS;
    }

    // Each format has the no-argument constructor that Lucene's SPI calls to read, and one that
    // merges the graph with several workers ({@code merges} null when {@code workers} is 1).

    /** float32 vectors. */
    public static final class Float32 extends HnswVectorsFormat {
        public Float32() {
            this(1, null);
        }

        Float32(int workers, ExecutorService merges) {
            super("PerceptHnswFloat32", new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH, workers, merges));
        }
    }

    /** 7-bit scalar quantization (the raw floats are kept beside it for re-ranking and merges). */
    public static final class Int7 extends HnswVectorsFormat {
        public Int7() {
            this(1, null);
        }

        Int7(int workers, ExecutorService merges) {
            super("PerceptHnswInt7", new Lucene99HnswScalarQuantizedVectorsFormat(MAX_CONN, BEAM_WIDTH, workers, 7, false, null, merges));
        }
    }

    /** 4-bit scalar quantization, packed two per byte, with dynamic confidence intervals (Lucene's advice for 4 bits). */
    public static final class Int4 extends HnswVectorsFormat {
        public Int4() {
            this(1, null);
        }

        Int4(int workers, ExecutorService merges) {
            super("PerceptHnswInt4", new Lucene99HnswScalarQuantizedVectorsFormat(MAX_CONN, BEAM_WIDTH, workers, 4, true, 0f, merges));
        }
    }
}
