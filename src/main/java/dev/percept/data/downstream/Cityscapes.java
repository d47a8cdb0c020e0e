package dev.percept.data.downstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cityscapes fine annotations: {@code leftImg8bit/<split>/<city>/<name>_leftImg8bit.png} and
 * {@code gtFine/<split>/<city>/<name>_gtFine_labelTrainIds.png} (19 train ids, 255 ignored, as
 * cityscapesScripts' createTrainIdLabelImgs writes them).
 */
public final class Cityscapes {
    public static final int CLASSES = 19;
    private static final String SUFFIX = "_leftImg8bit.png";

    private Cityscapes() {}

    public static SegmentationSet read(Path root, String split) {
        Path images = root.resolve("leftImg8bit").resolve(split);
        List<DenseImage> items = new ArrayList<>();
        for (Path city : DatasetFiles.list(images)) {
            if (!Files.isDirectory(city)) {
                continue;
            }
            for (Path image : DatasetFiles.list(city)) {
                String name = image.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    String stem = name.substring(0, name.length() - SUFFIX.length());
                    items.add(new DenseImage(image, root.resolve("gtFine").resolve(split).resolve(city.getFileName())
                            .resolve(stem + "_gtFine_labelTrainIds.png")));
                }
            }
        }
        DatasetFiles.requireAll(items.stream().map(DenseImage::target).toList(), "the images in " + images);
        return new SegmentationSet(items, CLASSES, SegmentationSet.Encoding.DIRECT);
    }
}
