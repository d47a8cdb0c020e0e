package dev.percept.spark;

import dev.percept.embed.Embedder;
import dev.percept.embed.ModelRequest;
import dev.percept.hub.ModelStore;
import dev.percept.model.Member;
import dev.percept.search.ModelIdentity;
import dev.percept.tensor.Engine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model an executor JVM embeds with: opened by the first task that needs it and shared by every
 * later task of the application (libtorch inference on shared weights is safe from several
 * threads). A JVM keeps each model it opened until it exits, which for Spark's executors is the
 * end of the application.
 *
 * @param identity the model identity as {@code percept index} records it, JSON
 */
record ExecutorModel(Embedder embedder, String identity) {
    private record Key(ModelSpec spec, int batch) {}

    private static final Map<Key, ExecutorModel> OPEN = new HashMap<>();

    /** The shared model for these options; also sets this task thread's libtorch threads. */
    static ExecutorModel get(ModelSpec spec, int batch, int threads) {
        Engine.start(threads); // loads libtorch once; the thread count is per calling thread under OpenMP
        synchronized (OPEN) {
            return OPEN.computeIfAbsent(new Key(spec, batch), k -> open(spec, batch));
        }
    }

    private static ExecutorModel open(ModelSpec spec, int batch) {
        ModelStore store = ModelSpec.store();
        ModelRequest request = spec.request();
        List<Member> members = request.open(store);
        Embedder embedder = new Embedder(members, spec.normalization(), batch);
        String identity = ModelIdentity.of(request, members, spec.normalization(), store, embedder.rowLength()).toJson();
        return new ExecutorModel(embedder, identity);
    }
}
