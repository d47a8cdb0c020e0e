package dev.percept.data.downstream;

import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.List;

/**
 * Images with label maps, the number of classes, and how stored values become class ids (255:
 * ignored).
 */
public record SegmentationSet(List<DenseImage> items, int classes, Encoding encoding) {
    public static final int IGNORE = 255;

    public SegmentationSet {
        items = List.copyOf(items);
    }

    /** How a label map's stored values map to class ids. */
    public enum Encoding {
        /** Values are class ids 0..C-1; 255 is void (VOC, Cityscapes trainIds, converted COCO-Stuff). */
        DIRECT,
        /** 0 is "other" (ignored), 1..C become 0..C-1 (ADE20K). */
        ZERO_IGNORED,
        /** 0 is background, every object id 1..254 is foreground (1), 255 background too (DAVIS). */
        FOREGROUND,
        /** COCO-Stuff's 0..181 (ids 1..182) without the 11 unannotated thing ids become 0..170; 255 void. */
        COCO_STUFF;

        /** COCO-Stuff ids (1-based) of the thing classes COCO has no annotations for. */
        private static final int[] COCO_UNUSED_IDS = {12, 26, 29, 30, 45, 66, 68, 69, 71, 83, 91};
        private static final int[] COCO_TRAIN_IDS = cocoTrainIds();

        /** The class id of a stored value, {@link #IGNORE}, or -1 when the value means nothing here. */
        int classId(int stored, int classes) {
            return switch (this) {
                case DIRECT -> stored == IGNORE || stored < classes ? stored : -1;
                case ZERO_IGNORED -> stored == 0 ? IGNORE : stored <= classes ? stored - 1 : -1;
                case FOREGROUND -> stored == 0 || stored == IGNORE ? 0 : stored < IGNORE ? 1 : -1;
                case COCO_STUFF -> stored == IGNORE ? IGNORE : stored < COCO_TRAIN_IDS.length ? COCO_TRAIN_IDS[stored] : -1;
            };
        }

        private static int[] cocoTrainIds() {
            int[] ids = new int[182];
            int next = 0;
            for (int value = 0; value < ids.length; value++) {
                boolean unused = false;
                for (int id : COCO_UNUSED_IDS) {
                    unused |= id == value + 1;
                }
                ids[value] = unused ? -1 : next++;
            }
            return ids;
        }
    }

    /** The images and label maps of a segmentation layout's split. */
    public static SegmentationSet read(DownstreamLayout layout, Path root, String split) {
        SegmentationSet set = switch (layout) {
            case VOC -> PascalVoc.read(root, split);
            case ADE20K -> Ade20k.read(root, split);
            case CITYSCAPES -> Cityscapes.read(root, split);
            case COCOSTUFF -> CocoStuff.read(root, split);
            case DAVIS -> Davis.read(root, split);
            default -> throw new IllegalArgumentException(layout + " is not a segmentation layout");
        };
        if (set.items().isEmpty()) {
            throw new PerceptException(root + " has no images in its " + layout.cliName() + " split '" + split + "'");
        }
        return set;
    }

    /** The class ids of one label map, with {@link #IGNORE} for ignored pixels. */
    public LabelMaps.Map labels(DenseImage item) {
        LabelMaps.Map raw = LabelMaps.read(item.target());
        int[] v = raw.values().clone();
        for (int i = 0; i < v.length; i++) {
            int id = encoding.classId(v[i], classes);
            if (id < 0) {
                throw new PerceptException("label map " + item.target() + " has value " + v[i] + " at pixel ("
                        + i % raw.width() + ", " + i / raw.width() + "); expected " + expected());
            }
            v[i] = id;
        }
        return new LabelMaps.Map(raw.width(), raw.height(), v);
    }

    private String expected() {
        return switch (encoding) {
            case DIRECT -> "class ids below " + classes + " or " + IGNORE + " (void)";
            case ZERO_IGNORED -> "0 (other) or class ids 1.." + classes;
            case FOREGROUND -> "object ids 0..255 (palette indices)";
            case COCO_STUFF -> "COCO-Stuff values 0..181 (ids 1..182) other than the unannotated thing ids "
                    + java.util.Arrays.toString(Encoding.COCO_UNUSED_IDS) + ", or " + IGNORE + " (unlabeled)";
        };
    }
}
