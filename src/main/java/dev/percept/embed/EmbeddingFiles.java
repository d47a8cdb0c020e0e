package dev.percept.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.io.NpyRowWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The on-disk form of an embedding job: {@code NAME.npy} (float32, one row per input in sorted
 * order) and {@code NAME.json} beside it (the inputs in row order, the model and the settings).
 * Both appear atomically, and only when every row was written.
 */
public final class EmbeddingFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EmbeddingFiles() {}

    /** The sidecar of an output file: same name, extension .json. */
    public static Path sidecar(Path npy) {
        String name = npy.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return npy.resolveSibling(stem + ".json");
    }

    public static void write(Path out, Embedder embedder, List<Member> members, FeatureNorm normalization,
            List<Path> images, Progress progress) {
        long[] row = embedder.rowShape();
        long[] shape = new long[row.length + 1];
        shape[0] = images.size();
        System.arraycopy(row, 0, shape, 1, row.length);
        try (NpyRowWriter writer = NpyRowWriter.create(out, shape)) {
            embedder.embed(images, (first, rows) -> {
                for (float[] r : rows) {
                    writer.append(r);
                }
            }, progress);
        }
        writeSidecar(sidecar(out), members, normalization, images, shape);
    }

    private static void writeSidecar(Path file, List<Member> members, FeatureNorm normalization,
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
        }
        root.put("normalize", normalization.toString());
        ArrayNode dims = root.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        ArrayNode inputs = root.putArray("inputs");
        images.forEach(p -> inputs.add(p.toString()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
