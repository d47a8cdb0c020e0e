package dev.percept.align;

import dev.percept.data.Triplet;
import dev.percept.image.ImageDecoder;
import dev.percept.image.Preprocessing;
import dev.percept.image.RgbImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Model inputs for batches of triplets: for each distinct preprocessing, {@code 3B} images in CHW
 * order, the references first, then the left and the right images. Preprocessed images are kept
 * in memory up to a budget, so a small dataset is decoded once rather than once per epoch; the
 * next batch is prepared on a worker thread while the current one trains.
 */
final class TripletPixels implements AutoCloseable {
    private final Set<Preprocessing> preprocessings;
    private final long budgetFloats;
    private final Map<Preprocessing, Map<Path, float[]>> cache = new HashMap<>();
    private long cachedFloats;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "percept-triplet-images");
        t.setDaemon(true);
        return t;
    });

    TripletPixels(List<Preprocessing> preprocessings, long cacheBytes) {
        this.preprocessings = new LinkedHashSet<>(preprocessings);
        this.budgetFloats = cacheBytes / Float.BYTES;
        preprocessings.forEach(p -> cache.put(p, new HashMap<>()));
    }

    /** Starts preparing a batch; {@link dev.percept.embed.Embedder#await} collects it. */
    CompletableFuture<Map<Preprocessing, float[]>> prepare(List<Triplet> batch) {
        return CompletableFuture.supplyAsync(() -> load(batch), worker);
    }

    private Map<Preprocessing, float[]> load(List<Triplet> batch) {
        int n = batch.size();
        Map<Preprocessing, float[]> out = new HashMap<>();
        for (Preprocessing p : preprocessings) {
            out.put(p, new float[3 * n * 3 * p.height() * p.width()]);
        }
        for (int i = 0; i < n; i++) {
            Triplet t = batch.get(i);
            Path[] images = {t.ref(), t.left(), t.right()};
            for (int role = 0; role < 3; role++) {
                fill(images[role], role * n + i, out);
            }
        }
        return out;
    }

    private void fill(Path image, int slot, Map<Preprocessing, float[]> out) {
        RgbImage decoded = null;
        for (Preprocessing p : preprocessings) {
            int size = 3 * p.height() * p.width();
            float[] chw = cache.get(p).get(image);
            if (chw == null) {
                if (decoded == null) {
                    decoded = ImageDecoder.decode(image);
                }
                chw = p.toChw(decoded);
                if (cachedFloats + size <= budgetFloats) {
                    cache.get(p).put(image, chw);
                    cachedFloats += size;
                }
            }
            System.arraycopy(chw, 0, out.get(p), slot * size, size);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
