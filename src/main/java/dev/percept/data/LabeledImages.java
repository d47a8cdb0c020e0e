package dev.percept.data;

import dev.percept.PerceptException;
import dev.percept.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Images with class labels from a folder of class folders, {@code <dir>/<class>/...} (searched
 * recursively, sorted). {@code labels[i]} indexes {@code classes} for {@code images.get(i)}.
 */
public record LabeledImages(Path dir, List<String> classes, List<Path> images, int[] labels) {

    /** Every class folder of {@code dir} that holds at least one image, classes in name order. */
    public static LabeledImages read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new PerceptException(dir + " is not a folder of class folders");
        }
        List<String> classes = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path classDir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> own;
                try (Stream<Path> files = Files.walk(classDir)) {
                    own = files.filter(Files::isRegularFile).filter(ImageFiles::isImage).sorted().toList();
                }
                if (own.isEmpty()) {
                    continue;
                }
                int label = classes.size();
                classes.add(classDir.getFileName().toString());
                images.addAll(own);
                own.forEach(p -> labels.add(label));
            }
        } catch (IOException e) {
            throw new PerceptException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (classes.isEmpty()) {
            throw new PerceptException(dir + " holds no class folder with images");
        }
        return new LabeledImages(dir, List.copyOf(classes), List.copyOf(images),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The same images labelled by their class's index in {@code vocabulary}; a class outside it is an error. */
    public LabeledImages relabel(List<String> vocabulary) {
        int[] mapped = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int to = vocabulary.indexOf(classes.get(labels[i]));
            if (to < 0) {
                throw new PerceptException(dir.resolve(classes.get(labels[i])) + ": class '" + classes.get(labels[i])
                        + "' has no images in the support set");
            }
            mapped[i] = to;
        }
        return new LabeledImages(dir, vocabulary, images, mapped);
    }

    /** The first of {@code names} that is a subfolder of {@code root}; an error listing them if none is. */
    public static Path split(Path root, String... names) {
        for (String name : names) {
            if (Files.isDirectory(root.resolve(name))) {
                return root.resolve(name);
            }
        }
        throw new PerceptException(root + " has no " + String.join(" or ", names) + " folder");
    }

    /** The images of each class, in class order. */
    public List<List<Path>> byClass() {
        List<List<Path>> out = new ArrayList<>();
        classes.forEach(c -> out.add(new ArrayList<>()));
        for (int i = 0; i < labels.length; i++) {
            out.get(labels[i]).add(images.get(i));
        }
        return out.stream().map(List::copyOf).toList();
    }

    public int size() {
        return images.size();
    }
}
