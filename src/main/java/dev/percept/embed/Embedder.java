package dev.percept.embed;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.image.ImageDecoder;
import dev.percept.image.Preprocessing;
import dev.percept.image.RgbImage;
import dev.percept.model.Ensemble;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Embeds images in batches with one backbone or an ensemble. Images of the next batch are decoded
 * and preprocessed on a worker thread while the current batch runs through the network; each
 * batch's native memory is released as soon as its rows are copied out.
 */
public final class Embedder implements AutoCloseable {
    private final Ensemble ensemble;
    private final FeatureNorm normalization;
    private final int batchSize;
    private final ExecutorService decoders = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "percept-decode");
        t.setDaemon(true);
        return t;
    });

    /** Receives each batch's feature rows in input order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(int firstIndex, float[][] rows);
    }

    public Embedder(List<Member> members, FeatureNorm normalization, int batchSize) {
        this.ensemble = new Ensemble(members); // refuses an empty list
        if (batchSize <= 0) {
            throw new PerceptException("--batch must be positive, got " + batchSize);
        }
        if (members.size() > 1 && members.stream().anyMatch(m -> m.features() == FeatureMode.PATCH_TOKENS)) {
            throw new PerceptException("patch_tokens is for single models; an ensemble concatenates vectors");
        }
        if (normalization != FeatureNorm.NONE && members.get(0).features() == FeatureMode.PATCH_TOKENS) {
            throw new PerceptException("--normalize applies to feature vectors, not to patch_tokens grids");
        }
        this.normalization = normalization;
        this.batchSize = batchSize;
    }

    /** Shape of one image's output row: the members' features concatenated. */
    public long[] rowShape() {
        return ensemble.rowShape();
    }

    public int rowLength() {
        return ensemble.rowLength();
    }

    /** Embeds every image, in order, handing rows to {@code sink} batch by batch. */
    public void embed(List<Path> images, RowSink sink, Progress progress) {
        if (images.isEmpty()) {
            return;
        }
        CompletableFuture<Batch> next = prepare(images, 0);
        for (int start = 0; start < images.size(); start += batchSize) {
            Batch batch = await(next);
            int following = start + batchSize;
            next = following < images.size() ? prepare(images, following) : null;
            sink.accept(start, run(batch));
            progress.advance(batch.size);
        }
    }

    /** Every image's row, concatenated in input order ([images, rowLength] row-major). */
    public float[] embedRows(List<Path> images, Progress progress) {
        int width = rowLength();
        float[] out = new float[images.size() * width];
        embed(images, (first, rows) -> {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, out, (first + i) * width, width);
            }
        }, progress);
        return out;
    }

    /** One image's row. */
    public float[] embed(Path image) {
        return run(await(prepare(List.of(image), 0)))[0];
    }

    /** 1 - cos(a, b), in double precision. */
    public static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return 1 - dot / Math.sqrt(na * nb);
    }

    /**
     * The result of work prepared on a worker thread (a decoded batch), with a failure rethrown
     * as itself: a decoding error names the file, and callers report it as such.
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Rows of images the caller decoded, run as one batch: how the Spark jobs embed bytes they read
     * themselves. With the same images in the same batches, the rows equal {@link #embed}'s bit for bit.
     */
    public float[][] embedDecoded(List<RgbImage> images) {
        if (images.isEmpty() || images.size() > batchSize) {
            throw new IllegalArgumentException("a batch holds 1 to " + batchSize + " images, got " + images.size());
        }
        return run(preprocess(images.size(), images::get));
    }

    /** Decodes and preprocesses one batch on the worker thread. */
    private CompletableFuture<Batch> prepare(List<Path> images, int start) {
        List<Path> slice = images.subList(start, Math.min(images.size(), start + batchSize));
        return CompletableFuture.supplyAsync(() -> preprocess(slice.size(), i -> ImageDecoder.decode(slice.get(i))), decoders);
    }

    /** Preprocesses {@code count} images (each decoded when its turn comes), once per distinct preprocessing among the members. */
    private Batch preprocess(int count, IntFunction<RgbImage> images) {
        Map<Preprocessing, float[]> pixels = new HashMap<>();
        for (Member m : ensemble.members()) {
            pixels.computeIfAbsent(m.preprocessing(), p -> new float[count * p.height() * p.width() * 3]);
        }
        for (int i = 0; i < count; i++) {
            RgbImage image = images.apply(i);
            for (Map.Entry<Preprocessing, float[]> e : pixels.entrySet()) {
                Preprocessing p = e.getKey();
                p.toChw(image, e.getValue(), i * 3 * p.height() * p.width());
            }
        }
        return new Batch(count, pixels);
    }

    private record Batch(int size, Map<Preprocessing, float[]> pixels) {}

    private float[][] run(Batch batch) {
        float[] flat = ensemble.embed(batch.pixels, batch.size, normalization);
        int width = flat.length / batch.size;
        float[][] out = new float[batch.size][];
        for (int i = 0; i < batch.size; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    @Override
    public void close() {
        decoders.shutdownNow();
    }
}
