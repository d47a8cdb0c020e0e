package dev.percept.data.downstream;

import dev.percept.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * COCO-Stuff 164k: {@code images/<split>/*.jpg} and {@code annotations/<split>/<name>.png}
 * (the stuffthingmaps: 0..181 are COCO-Stuff ids 1..182, 255 unlabeled), splits
 * {@code train2017} and {@code val2017}; the COCO-Stuff repository's {@code dataset/} folder under
 * the root is found too. The 11 thing ids COCO never annotated are dropped, leaving the 171
 * classes (80 things, 91 stuff) that mmsegmentation and DINOv2 evaluate, numbered 0..170 in id
 * order. Label maps already converted by mmsegmentation ({@code <name>_labelTrainIds.png}, 0..170)
 * are read instead where the raw maps are absent.
 */
public final class CocoStuff {
    public static final int CLASSES = 171;
    private static final String CONVERTED = "_labelTrainIds.png";

    private CocoStuff() {}

    public static SegmentationSet read(Path root, String split) {
        Path base = Files.isDirectory(root.resolve("dataset/images")) ? root.resolve("dataset") : root;
        Path images = base.resolve("images").resolve(split);
        Path annotations = base.resolve("annotations").resolve(split);
        List<Path> files = DatasetFiles.list(images).stream().filter(ImageFiles::isImage).toList();
        boolean converted = !files.isEmpty() && !Files.isRegularFile(annotations.resolve(DatasetFiles.stem(files.get(0)) + ".png"))
                && Files.isRegularFile(annotations.resolve(DatasetFiles.stem(files.get(0)) + CONVERTED));
        List<DenseImage> items = new ArrayList<>();
        for (Path image : files) {
            items.add(new DenseImage(image, annotations.resolve(DatasetFiles.stem(image) + (converted ? CONVERTED : ".png"))));
        }
        DatasetFiles.requireAll(items.stream().map(DenseImage::target).toList(), "the images in " + images);
        return new SegmentationSet(items, CLASSES, converted ? SegmentationSet.Encoding.DIRECT : SegmentationSet.Encoding.COCO_STUFF);
    }
}
