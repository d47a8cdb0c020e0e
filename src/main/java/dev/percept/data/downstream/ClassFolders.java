package dev.percept.data.downstream;

import dev.percept.PerceptException;
import dev.percept.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classification in class folders, {@code <root>/<split>/<class>/*} (VTAB exports, Flowers102 and
 * Pets exported to folders): the label is the folder name.
 */
public final class ClassFolders {
    private ClassFolders() {}

    public static List<LabeledImage> read(Path root, String split) {
        Path dir = root.resolve(split);
        List<LabeledImage> out = new ArrayList<>();
        for (Path classDir : DatasetFiles.list(dir)) {
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            for (Path image : DatasetFiles.list(classDir)) {
                if (Files.isRegularFile(image) && ImageFiles.isImage(image)) {
                    out.add(new LabeledImage(image, classDir.getFileName().toString()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new PerceptException(dir + " has no class folders with images");
        }
        return out;
    }
}
