package dev.percept.data.downstream;

import dev.percept.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ADE20K scene parsing (ADEChallengeData2016): {@code images/<split>/*.jpg} and
 * {@code annotations/<split>/*.png} of the same name, splits {@code training} and
 * {@code validation}; label 0 ("other") is ignored and 1..150 become classes 0..149.
 */
public final class Ade20k {
    public static final int CLASSES = 150;

    private Ade20k() {}

    public static SegmentationSet read(Path root, String split) {
        Path base = Files.isDirectory(root.resolve("ADEChallengeData2016")) ? root.resolve("ADEChallengeData2016") : root;
        Path images = base.resolve("images").resolve(split);
        List<DenseImage> items = new ArrayList<>();
        for (Path image : DatasetFiles.list(images)) {
            if (ImageFiles.isImage(image)) {
                items.add(new DenseImage(image, base.resolve("annotations").resolve(split).resolve(DatasetFiles.stem(image) + ".png")));
            }
        }
        DatasetFiles.requireAll(items.stream().map(DenseImage::target).toList(), "the images in " + images);
        return new SegmentationSet(items, CLASSES, SegmentationSet.Encoding.ZERO_IGNORED);
    }
}
