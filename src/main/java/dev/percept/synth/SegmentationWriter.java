package dev.percept.synth;

import dev.percept.Seeds;
import dev.percept.console.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The segmentation set in Pascal VOC 2012's layout: {@code JPEGImages/<id>.jpg}, {@code
 * SegmentationClass/<id>.png} (8-bit palette PNG in VOC's colours whose indices are class ids, 255
 * on each object's one-pixel outline, VOC's "void"), {@code ImageSets/Segmentation/{train,val}.txt}
 * and {@code classes.txt} (line i names class i; line 0 is background).
 */
final class SegmentationWriter {
    static final int VOID = 255;

    private SegmentationWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        StringBuilder classes = new StringBuilder("background\n");
        for (Category c : Category.values()) {
            classes.append(c.label()).append('\n');
        }
        StringBuilder train = new StringBuilder();
        StringBuilder val = new StringBuilder();
        int total = size.segTrain() + size.segVal();
        for (int i = 0; i < total; i++) {
            SplittableRandom rng = Seeds.of(seed, "segmentation", i);
            Rendering r = sampler.any(rng, 6).rendering();
            String id = String.format(Locale.ROOT, "2012_%06d", i);
            ImageFormats.jpeg(dir.resolve("JPEGImages/" + id + ".jpg"), r.rgb(), r.size(), ImageFormats.DATASET_JPEG_QUALITY);
            ImageFormats.palettePng(dir.resolve("SegmentationClass/" + id + ".png"), labels(r), r.size());
            (i < size.segTrain() ? train : val).append(id).append('\n');
            progress.advance(1);
        }
        TextFile.write(dir.resolve("ImageSets/Segmentation/train.txt"), train);
        TextFile.write(dir.resolve("ImageSets/Segmentation/val.txt"), val);
        TextFile.write(dir.resolve("classes.txt"), classes);
        return total;
    }

    /** Class ids per pixel, with {@link #VOID} on object pixels that touch another instance or the background. */
    static int[] labels(Rendering r) {
        int n = r.size();
        int[] inst = r.instance();
        int[] out = r.category().clone();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int p = y * n + x;
                if (inst[p] == 0) {
                    continue;
                }
                boolean edge = (x > 0 && inst[p - 1] != inst[p]) || (x < n - 1 && inst[p + 1] != inst[p])
                        || (y > 0 && inst[p - n] != inst[p]) || (y < n - 1 && inst[p + n] != inst[p]);
                if (edge) {
                    out[p] = VOID;
                }
            }
        }
        return out;
    }
}
