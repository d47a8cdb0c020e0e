package dev.percept.align;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.eval.Bootstrap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code metrics.jsonl}: one JSON object per line, appended as the run goes. Opening it
 * for a resumed run cuts it back to the length the checkpoint recorded, so the steps replayed
 * after a kill are not listed twice.
 */
final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;

    private MetricsLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static MetricsLog open(Path file, long keepBytes) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.size() < keepBytes) {
                channel.close();
                throw new PerceptException(file + " is shorter (" + Files.size(file) + " bytes) than its checkpoint "
                        + "recorded (" + keepBytes + "); it was changed outside percept");
            }
            channel.truncate(keepBytes);
            channel.position(keepBytes);
            return new MetricsLog(file, channel);
        } catch (IOException e) {
            throw new PerceptException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    void append(ObjectNode line) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    long bytes() {
        try {
            return channel.position();
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The epoch summaries written so far (lines with a validation loss). */
    List<Aligner.Epoch> epochs() {
        List<Aligner.Epoch> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                JsonNode n = JSON.readTree(line);
                if (n.has("val_loss")) {
                    out.add(new Aligner.Epoch(n.get("epoch").asInt(), n.get("train_loss").asDouble(),
                            n.get("val_loss").asDouble(), new Bootstrap.Interval(n.get("val_2afc").asDouble(),
                                    n.get("val_2afc_ci_low").asDouble(), n.get("val_2afc_ci_high").asDouble(), 0)));
                }
            }
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new PerceptException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
