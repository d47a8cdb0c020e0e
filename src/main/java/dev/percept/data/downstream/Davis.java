package dev.percept.data.downstream;

import dev.percept.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DAVIS 2017 (semi-supervised trainval release) as foreground/background segmentation: every
 * annotated frame {@code JPEGImages/480p/<sequence>/<frame>.jpg} with
 * {@code Annotations/480p/<sequence>/<frame>.png} (palette PNG of object ids, 0 background) for
 * the sequences listed in {@code ImageSets/2017/<split>.txt}. Object ids are numbered per
 * sequence, so they are not classes across sequences: any object is foreground (class 1),
 * background class 0; index 255 counts as background, as the DAVIS 2017 evaluation code reads it.
 * {@code Full-Resolution} is used where {@code 480p} is absent; the release's {@code DAVIS/} folder
 * under the root is found too.
 */
public final class Davis {
    public static final int CLASSES = 2;

    private Davis() {}

    public static SegmentationSet read(Path root, String split) {
        Path base = Files.isDirectory(root.resolve("DAVIS/JPEGImages")) ? root.resolve("DAVIS") : root;
        String resolution = Files.isDirectory(base.resolve("JPEGImages/480p")) ? "480p" : "Full-Resolution";
        Path listFile = base.resolve("ImageSets/2017").resolve(split + ".txt");
        List<DenseImage> items = new ArrayList<>();
        for (String line : DatasetFiles.lines(listFile)) {
            String sequence = line.strip();
            if (sequence.isEmpty()) {
                continue;
            }
            Path frames = base.resolve("JPEGImages").resolve(resolution).resolve(sequence);
            Path masks = base.resolve("Annotations").resolve(resolution).resolve(sequence);
            for (Path frame : DatasetFiles.list(frames)) {
                if (ImageFiles.isImage(frame)) {
                    items.add(new DenseImage(frame, masks.resolve(DatasetFiles.stem(frame) + ".png")));
                }
            }
        }
        DatasetFiles.requireAll(items.stream().map(DenseImage::target).toList(), "the frames of the sequences in " + listFile);
        return new SegmentationSet(items, CLASSES, SegmentationSet.Encoding.FOREGROUND);
    }
}
