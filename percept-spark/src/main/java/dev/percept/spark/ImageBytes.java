package dev.percept.spark;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Reads an image's bytes on an executor: local paths directly, other URIs (hdfs:, s3a:, ...) through Hadoop. */
final class ImageBytes {
    private ImageBytes() {}

    /** How a path is named in the output: a local file by its plain absolute path (as `percept embed` lists it), others by URI. */
    static String name(String path) {
        URI uri = new org.apache.hadoop.fs.Path(path).toUri();
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return Path.of(uri.getPath()).toAbsolutePath().normalize().toString();
        }
        return uri.toString();
    }

    static byte[] read(String name) {
        try {
            if (name.startsWith("/")) {
                return Files.readAllBytes(Path.of(name));
            }
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(name);
            try (InputStream in = FileSystem.get(path.toUri(), new Configuration()).open(path)) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new PerceptException(name + ": no such file");
        } catch (IOException e) {
            throw new PerceptException("cannot read " + name + ": " + e, e);
        }
    }
}
