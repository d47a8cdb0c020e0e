package dev.percept.search;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/** The fields of a search index's documents (one per image) and the keys of its commit data. */
public final class IndexSchema {
    static final String PATH = "path";
    /** Every folder above the image, each as a term: what --under filters on. */
    static final String FOLDER = "folder";
    static final String SIZE = "size";
    static final String MODIFIED = "mtime";
    static final String SHA256 = "sha256";
    static final String THUMBNAIL = "thumbnail";
    static final String VECTOR = "vector";

    static final String KEY_FORMAT = "percept.format";
    static final String KEY_IDENTITY = "percept.model";
    static final String KEY_QUANTIZATION = "percept.quantize";
    static final String FORMAT = "percept-search-1";

    /** Longer side of the stored thumbnails, in pixels. */
    static final int THUMBNAIL_SIDE = 160;

    private IndexSchema() {}

    /** Lucene's codec with percept's vectors format (raised dimension limit, chosen quantization). */
    static Codec codec(Quantization quantization) {
        return codec(quantization, 1, null);
    }

    /** The same, merging graphs with {@code mergeWorkers} tasks on {@code merges} (null for one). */
    static Codec codec(Quantization quantization, int mergeWorkers, ExecutorService merges) {
        KnnVectorsFormat format = quantization.format(mergeWorkers, merges);
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    /**
     * A document for one image. Vectors are unit length (DreamSim's or plain L2 normalisation), so
     * the dot product is the cosine and Lucene's DOT_PRODUCT score is (1 + cos) / 2.
     */
    static Document document(IndexedImage image, float[] vector, byte[] thumbnailPng) {
        Document doc = new Document();
        doc.add(new StringField(PATH, image.path(), Field.Store.YES));
        for (Path p = Path.of(image.path()).getParent(); p != null; p = p.getParent()) {
            doc.add(new StringField(FOLDER, p.toString(), Field.Store.NO));
        }
        doc.add(new StoredField(SIZE, image.size()));
        doc.add(new StoredField(MODIFIED, image.modified()));
        doc.add(new StoredField(SHA256, image.sha256()));
        doc.add(new StoredField(THUMBNAIL, new BytesRef(thumbnailPng)));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    /** The form a folder or image path takes in the index: absolute and normalised. */
    public static String key(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
