package dev.percept.search;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * Writes a search index: opens (or creates) it for one model and quantization, refuses an index
 * made by another model, and commits atomically, with the model's identity in every commit. What
 * is committed survives a crash; what is not is rolled back when the index is next opened.
 */
public final class IndexBuilder implements AutoCloseable {
    private final Path location;
    private final Directory directory;
    private final IndexWriter writer;

    private IndexBuilder(Path location, Directory directory, IndexWriter writer) {
        this.location = location;
        this.directory = directory;
        this.writer = writer;
    }

    /**
     * Opens {@code location} for writing vectors of {@code identity}. An existing index of
     * another model or quantization is refused unless {@code rebuild}, which starts it over.
     */
    public static IndexBuilder open(Path location, ModelIdentity identity, Quantization quantization, boolean rebuild) {
        if (identity.dimension() > HnswVectorsFormat.MAX_DIMENSIONS) {
            throw new PerceptException("the model's vectors have " + identity.dimension() + " dimensions; the index takes at most "
                    + HnswVectorsFormat.MAX_DIMENSIONS);
        }
        Directory dir = null;
        try {
            Files.createDirectories(location);
            dir = FSDirectory.open(location);
            boolean exists = DirectoryReader.indexExists(dir);
            if (exists && !rebuild) {
                checkCompatible(location, dir, identity, quantization);
            }
            IndexWriterConfig config = new IndexWriterConfig()
                    .setCodec(IndexSchema.codec(quantization))
                    .setOpenMode(rebuild ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCommitOnClose(false)
                    .setRAMBufferSizeMB(64);
            IndexWriter writer = new IndexWriter(dir, config);
            writer.setLiveCommitData(Map.of(
                    IndexSchema.KEY_FORMAT, IndexSchema.FORMAT,
                    IndexSchema.KEY_IDENTITY, identity.toJson(),
                    IndexSchema.KEY_QUANTIZATION, quantization.toString()).entrySet());
            IndexBuilder builder = new IndexBuilder(location, dir, writer);
            builder.commit(); // the identity is on disk before the first vector
            return builder;
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(dir); // already failing with a better message
            throw new PerceptException("cannot open index " + location + " for writing: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            IOUtils.closeWhileHandlingException(dir); // already failing with a better message
            throw e;
        }
    }

    private static void checkCompatible(Path location, Directory dir, ModelIdentity identity, Quantization quantization)
            throws IOException {
        Map<String, String> data;
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            data = new HashMap<>(reader.getIndexCommit().getUserData());
        }
        if (!IndexSchema.FORMAT.equals(data.get(IndexSchema.KEY_FORMAT))) {
            throw new PerceptException(location + " holds a Lucene index that `percept index` did not write; "
                    + "choose another --out, or --rebuild to replace it");
        }
        ModelIdentity recorded = ModelIdentity.fromJson(data.get(IndexSchema.KEY_IDENTITY), location);
        var differences = recorded.differences(identity);
        if (!differences.isEmpty()) {
            throw new PerceptException("index " + location + " was built with another model (" + String.join("; ", differences)
                    + "); use the same --model/--adapter/--features, or --rebuild to start over");
        }
        String recordedQuantization = data.get(IndexSchema.KEY_QUANTIZATION);
        if (!quantization.toString().equals(recordedQuantization)) {
            throw new PerceptException("index " + location + " was built with --quantize " + recordedQuantization
                    + ", not " + quantization + "; use --quantize " + recordedQuantization + ", or --rebuild to start over");
        }
    }

    /** Adds an image, replacing any earlier version at the same path. */
    public void put(IndexedImage image, float[] vector, byte[] thumbnailPng) {
        try {
            writer.updateDocument(new Term(IndexSchema.PATH, image.path()), IndexSchema.document(image, vector, thumbnailPng));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    public void delete(String path) {
        try {
            writer.deleteDocuments(new Term(IndexSchema.PATH, path));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Makes everything so far durable, atomically. */
    public void commit() {
        try {
            writer.commit();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Merges into one segment: a little faster to search and smaller, at the cost of a rewrite. */
    public void forceMerge() {
        try {
            writer.forceMerge(1);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private PerceptException failure(IOException e) {
        return new PerceptException("cannot write index " + location + ": " + e.getMessage(), e);
    }

    /** Closes without committing: only what {@link #commit} made durable stays. */
    @Override
    public void close() {
        try {
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
