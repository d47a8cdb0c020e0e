package dev.percept.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** JSON files: read with errors that name the file, written atomically and indented. */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {}

    public static ObjectMapper mapper() {
        return JSON;
    }

    /** A JSON object from {@code file}; anything else is an error naming the file. */
    public static JsonNode readObject(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new PerceptException(file + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new PerceptException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code node} to {@code file} under a temporary name, then renames it into place. */
    public static void write(Path file, JsonNode node) {
        try (AtomicFile out = AtomicFile.create(file)) {
            out.write(ByteBuffer.wrap(JSON.writeValueAsBytes(node)));
            out.commit();
        } catch (IOException e) {
            throw new PerceptException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
