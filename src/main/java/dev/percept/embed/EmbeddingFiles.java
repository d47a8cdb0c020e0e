package dev.percept.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.io.JsonFiles;
import dev.percept.io.NpyRowWriter;
import dev.percept.io.Sha256;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The on-disk form of an embedding job: {@code NAME.npy} (float32, one row per input in sorted
 * order) and {@code NAME.json} beside it (the inputs in row order, the model and the settings).
 * Both appear atomically, and only when every row was written.
 */
public final class EmbeddingFiles {
    private static final long CHECKPOINT_NANOS = 1_000_000_000L;
    private static final ObjectMapper JSON = JsonFiles.mapper();

    private EmbeddingFiles() {}

    /** The sidecar of an output file: same name, extension .json. */
    public static Path sidecar(Path npy) {
        String name = npy.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return npy.resolveSibling(stem + ".json");
    }

    /** The job file of an unfinished run: which job it is and how many rows are safely on disk. */
    static Path jobFile(Path npy) {
        return npy.resolveSibling(npy.getFileName() + ".partial.json");
    }

    /**
     * Embeds every image into {@code out}. Rows go to {@code out.partial} batch by batch; about once
     * a second they are forced to disk and the job file records how many there are. A run of the
     * same job (same inputs, models and settings) after an interruption continues from there.
     */
    public static void write(Path out, Embedder embedder, List<Member> members, FeatureNorm normalization,
            List<Path> images, Progress progress) {
        long[] row = embedder.rowShape();
        long[] shape = new long[row.length + 1];
        shape[0] = images.size();
        System.arraycopy(row, 0, shape, 1, row.length);
        ObjectNode description = describe(members, normalization, images, shape);
        String job = Sha256.hex(description.toString());
        Path jobFile = jobFile(out);
        long done = rowsDone(jobFile, job, out);
        if (done > 0) {
            System.err.printf("resuming %s: %d of %d rows already embedded%n", out, done, images.size());
            progress.advance(done);
        }
        try (NpyRowWriter writer = NpyRowWriter.resume(out, done, shape)) {
            long[] lastSync = {System.nanoTime()};
            try {
                embedder.embed(images.subList((int) done, images.size()), (first, rows) -> {
                    for (float[] r : rows) {
                        writer.append(r);
                    }
                    // A checkpoint costs an fsync: take one per second at most (a kill loses less).
                    if (System.nanoTime() - lastSync[0] >= CHECKPOINT_NANOS) {
                        checkpoint(writer, jobFile, job);
                        lastSync[0] = System.nanoTime();
                    }
                }, progress);
            } catch (RuntimeException e) {
                checkpoint(writer, jobFile, job); // a failure (a bad image, say) keeps every row so far
                throw e;
            }
        }
        JsonFiles.write(sidecar(out), description);
        try {
            Files.deleteIfExists(jobFile);
        } catch (IOException e) {
            throw new PerceptException("cannot remove " + jobFile + ": " + e.getMessage(), e);
        }
    }

    private static long rowsDone(Path jobFile, String job, Path out) {
        if (!Files.exists(jobFile)) {
            return 0;
        }
        try {
            JsonNode node = JSON.readTree(jobFile.toFile());
            if (!job.equals(node.path("job").asText())) {
                throw new PerceptException(jobFile + " belongs to an unfinished run with other inputs or settings; "
                        + "rerun that command to finish it, or delete " + jobFile + " and " + out + ".partial");
            }
            return node.path("rows").asLong();
        } catch (IOException e) {
            throw new PerceptException("cannot read " + jobFile + ": " + e.getMessage()
                    + "; delete it and " + out + ".partial to start over", e);
        }
    }

    private static void checkpoint(NpyRowWriter writer, Path jobFile, String job) {
        writer.sync();
        ObjectNode node = JSON.createObjectNode();
        node.put("job", job);
        node.put("rows", writer.rowsWritten());
        JsonFiles.write(jobFile, node);
    }

    private static ObjectNode describe(List<Member> members, FeatureNorm normalization,
            List<Path> images, long[] shape) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode models = root.putArray("models");
        for (Member m : members) {
            ObjectNode node = models.addObject();
            node.put("name", m.backbone().name());
            node.put("layout", m.backbone().layout());
            node.put("features", m.features().cliName());
            node.put("precision", m.backbone().precision().toString());
            node.put("image_height", m.preprocessing().height());
            node.put("image_width", m.preprocessing().width());
            node.put("preprocessing", m.preprocessing().toString());
        }
        root.put("normalize", normalization.toString());
        ArrayNode dims = root.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        ArrayNode inputs = root.putArray("inputs");
        images.forEach(p -> inputs.add(p.toString()));
        return root;
    }
}
