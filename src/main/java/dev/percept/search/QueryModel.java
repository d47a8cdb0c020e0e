package dev.percept.search;

import dev.percept.PerceptException;
import dev.percept.embed.Embedder;
import dev.percept.hub.ModelStore;
import dev.percept.model.Member;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.List;

/**
 * The model an index records, loaded on first use to embed query images the way the indexed
 * ones were. Loading checks that the weights, adapters and settings still match the index.
 * Embedding is serialised: one backbone serves one query at a time.
 */
public final class QueryModel implements AutoCloseable {
    private final SearchIndex index;
    private final ModelStore store;
    private List<Member> members;
    private Embedder embedder;

    public QueryModel(SearchIndex index, ModelStore store) {
        this.index = index;
        this.store = store;
    }

    /** The image's unit vector, comparable with the index's. */
    public synchronized float[] embed(Path image) {
        if (embedder == null) {
            load();
        }
        return embedder.embed(image);
    }

    private void load() {
        Engine.start(0);
        ModelIdentity recorded = index.identity();
        List<Member> loaded = recorded.request().open(store);
        try {
            Embedder e = new Embedder(loaded, recorded.norm(), 1);
            ModelIdentity now = ModelIdentity.of(recorded.request(), loaded, recorded.norm(), store, e.rowLength());
            List<String> differences = recorded.differences(now);
            if (!differences.isEmpty()) {
                e.close();
                throw new PerceptException("the model of index " + index.location() + " changed since it was built ("
                        + String.join("; ", differences) + "); rebuild the index with `percept index --rebuild`");
            }
            members = loaded;
            embedder = e;
        } catch (RuntimeException e) {
            loaded.forEach(m -> m.backbone().close());
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (embedder != null) {
            embedder.close();
            members.forEach(m -> m.backbone().close());
            embedder = null;
        }
    }
}
