package dev.percept.data.downstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pascal VOC 2012 segmentation: {@code JPEGImages/<id>.jpg}, {@code SegmentationClass/<id>.png}
 * (palette PNG whose indices are the class ids, 255 void) and
 * {@code ImageSets/Segmentation/<split>.txt}. 21 classes, or one per line of an optional
 * {@code classes.txt} in the root (line 0: background). {@code VOCdevkit/VOC2012} under the root
 * is found too.
 */
public final class PascalVoc {
    public static final int CLASSES = 21;

    private PascalVoc() {}

    public static SegmentationSet read(Path root, String split) {
        Path base = Files.isDirectory(root.resolve("VOCdevkit/VOC2012")) ? root.resolve("VOCdevkit/VOC2012") : root;
        Path listFile = base.resolve("ImageSets/Segmentation").resolve(split + ".txt");
        List<DenseImage> items = new ArrayList<>();
        for (String line : DatasetFiles.lines(listFile)) {
            String id = line.strip();
            if (!id.isEmpty()) {
                items.add(new DenseImage(base.resolve("JPEGImages").resolve(id + ".jpg"),
                        base.resolve("SegmentationClass").resolve(id + ".png")));
            }
        }
        DatasetFiles.requirePairs(items, listFile.toString());
        Path classesFile = base.resolve("classes.txt");
        int classes = Files.isRegularFile(classesFile)
                ? (int) DatasetFiles.lines(classesFile).stream().filter(l -> !l.isBlank()).count()
                : CLASSES;
        return new SegmentationSet(items, classes, SegmentationSet.Encoding.DIRECT);
    }
}
