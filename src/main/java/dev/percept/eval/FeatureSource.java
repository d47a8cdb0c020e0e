package dev.percept.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.embed.EmbeddingFiles;
import dev.percept.embed.ModelRequest;
import dev.percept.hub.ModelStore;
import dev.percept.io.JsonFiles;
import dev.percept.io.MappedFloats;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import java.nio.file.Path;
import java.util.List;

/**
 * One model configuration's features of image lists, through the {@link FeatureCache}: where every
 * evaluation gets its features. The model (with its adapters and head, {@link ModelRequest#open})
 * is loaded only when an extraction is needed, once, and closed with this source; the cache key
 * covers everything the request names.
 */
public final class FeatureSource implements AutoCloseable {
    private final ModelRequest request;
    private final ModelStore store;
    private final FeatureCache cache;
    private final FeatureNorm normalization;
    private final int batch;
    private List<Member> members;
    private int extractions;

    /** @param normalization applied to feature vectors (not to patch-token grids) */
    public FeatureSource(ModelRequest request, ModelStore store, FeatureCache cache, FeatureNorm normalization, int batch) {
        this.request = request;
        this.store = store;
        this.cache = cache;
        this.normalization = normalization;
        this.batch = batch;
    }

    public ModelRequest request() {
        return request;
    }

    /** How many feature files this source had to compute (the rest came from the cache). */
    public int extractions() {
        return extractions;
    }

    /** One vector per image, in the requested feature mode (default: the model's). */
    public MappedFloats vectors(List<Path> images, String what) {
        return features(images, request.features(), normalization, what);
    }

    /** The [gh, gw, D] patch-token grid of each image, for dense probes. */
    public MappedFloats patchTokens(List<Path> images, String what) {
        return features(images, FeatureMode.PATCH_TOKENS, FeatureNorm.NONE, what);
    }

    private MappedFloats features(List<Path> images, FeatureMode mode, FeatureNorm norm, String what) {
        ObjectNode key = key(images, mode);
        key.put("normalize", norm.toString());
        return cache.get(key, out -> {
            List<Member> open = members();
            List<Member> chosen = mode == null ? open
                    : open.stream().map(m -> new Member(m.backbone(), m.preprocessing(), mode)).toList();
            try (Embedder embedder = new Embedder(chosen, norm, batch)) {
                EmbeddingFiles.write(out, embedder, chosen, norm, images,
                        Progress.onStderr("features " + what, "img", images.size()));
            }
            extractions++;
        });
    }

    private ObjectNode key(List<Path> images, FeatureMode mode) {
        ObjectNode key = JsonFiles.mapper().createObjectNode();
        key.put("format", FeatureCache.format());
        key.put("model", request.spec());
        if (request.checkpointKey() != null) {
            key.put("checkpoint_key", request.checkpointKey());
        }
        ArrayNode folders = key.putArray("folders");
        request.folders(store).forEach(f -> folders.add(FeatureCache.folderStamp(f)));
        ArrayNode adapters = key.putArray("adapters");
        request.adapters().forEach(a -> adapters.add(FeatureCache.contentHash(a)));
        if (request.head() != null) { // only when present, so that keys written before heads counted still match
            key.put("head", FeatureCache.contentHash(request.head()));
        }
        key.put("features", mode == null ? "default" : mode.cliName());
        key.put("image_size", request.imageSize());
        key.put("preprocess", request.preprocess().cliName());
        key.put("activation", String.valueOf(request.activation()));
        key.put("precision", request.precision().resolve(request.device()).toString());
        key.put("images", FeatureCache.imagesStamp(images));
        key.put("count", images.size());
        return key;
    }

    private List<Member> members() {
        if (members == null) {
            members = request.open(store);
        }
        return members;
    }

    @Override
    public void close() {
        if (members != null) {
            members.forEach(m -> m.backbone().close());
            members = null;
        }
    }
}
