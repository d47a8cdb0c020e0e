package dev.percept.image;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The images named on a command line: files as given, folders searched recursively. */
public final class ImageFiles {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp");

    private ImageFiles() {}

    /** Every image, deduplicated, in sorted path order (the row order of embedding outputs). */
    public static List<Path> collect(List<Path> arguments) {
        TreeSet<Path> found = new TreeSet<>();
        for (Path arg : arguments) {
            Path p = arg.normalize();
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(ImageFiles::isImage).forEach(found::add);
                } catch (IOException e) {
                    throw new PerceptException("cannot list folder " + p + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                found.add(p); // named explicitly: a non-image fails later with a message naming it
            } else {
                throw new PerceptException("input " + arg + " does not exist");
            }
        }
        if (found.isEmpty()) {
            throw new PerceptException("no images found in " + arguments);
        }
        return List.copyOf(found);
    }

    /** Whether a file name has an image extension (how folders are searched). */
    public static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
