package dev.percept.data.downstream;

import dev.percept.PerceptException;
import java.util.List;

/**
 * Images with label maps, the number of classes, and how stored values become class ids (255:
 * ignored).
 */
public record SegmentationSet(List<DenseImage> items, int classes, Encoding encoding) {
    public static final int IGNORE = 255;

    /** How a label map's stored values map to class ids. */
    public enum Encoding {
        /** Values are class ids 0..C-1; 255 is void (VOC, Cityscapes trainIds). */
        DIRECT,
        /** 0 is "other" (ignored), 1..C become 0..C-1 (ADE20K). */
        ZERO_IGNORED
    }

    /** The class ids of one label map, with {@link #IGNORE} for ignored pixels. */
    public LabelMaps.Map labels(DenseImage item) {
        LabelMaps.Map raw = LabelMaps.read(item.target());
        int[] v = raw.values().clone();
        for (int i = 0; i < v.length; i++) {
            int id = encoding == Encoding.ZERO_IGNORED ? (v[i] == 0 ? IGNORE : v[i] - 1) : v[i];
            if (id != IGNORE && (id < 0 || id >= classes)) {
                throw new PerceptException("label map " + item.target() + " has value " + v[i] + " at pixel ("
                        + i % raw.width() + ", " + i / raw.width() + "); expected class ids below " + classes
                        + " or " + IGNORE + " (void)");
            }
            v[i] = id;
        }
        return new LabelMaps.Map(raw.width(), raw.height(), v);
    }
}
