package dev.percept.data.downstream;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Pfm;
import java.nio.file.Path;
import java.util.List;

/** Images with depth maps, and how a layout stores depth. */
public record DepthSet(List<DenseImage> items, Encoding encoding) {
    public DepthSet {
        items = List.copyOf(items);
    }

    /** How a depth file's values become metres. */
    public enum Encoding {
        /** 16-bit PNG in millimetres, 0 unmeasured (NYUv2 in the BTS layout). */
        MILLIMETRES,
        /**
         * 16-bit PNG in millimetres with its bits rotated left by 3, as the SUN RGB-D toolbox writes
         * them: mm = (v >> 3) | (v << 13), in 16 bits; 0 unmeasured.
         */
        ROTATED_MILLIMETRES,
        /** PFM of float32 depth in metres (the 4D Light Field benchmark's {@code gt_depth_*.pfm}). */
        PFM_METRES
    }

    /** The items of a depth layout's split. */
    public static DepthSet read(DownstreamLayout layout, Path root, String split) {
        DepthSet set = switch (layout) {
            case NYU -> new DepthSet(NyuDepth.read(root, split), Encoding.MILLIMETRES);
            case SUNRGBD -> new DepthSet(SunRgbd.read(root, split), Encoding.ROTATED_MILLIMETRES);
            case LIGHTFIELD -> new DepthSet(LightField.read(root, split), Encoding.PFM_METRES);
            default -> throw new IllegalArgumentException(layout + " is not a depth layout");
        };
        if (set.items().isEmpty()) {
            throw new PerceptException(root + " has no images in its " + layout.cliName() + " split '" + split + "'");
        }
        return set;
    }

    /** One item's depth in metres. */
    public DepthMap metres(DenseImage item) {
        if (encoding == Encoding.PFM_METRES) {
            FloatArray map = Pfm.read(item.target());
            return new DepthMap((int) map.shape()[1], (int) map.shape()[0], map.data());
        }
        LabelMaps.Map raw = LabelMaps.read(item.target());
        float[] out = new float[raw.values().length];
        for (int i = 0; i < out.length; i++) {
            int v = raw.values()[i];
            int mm = encoding == Encoding.ROTATED_MILLIMETRES ? ((v >>> 3) | (v << 13)) & 0xFFFF : v;
            out[i] = mm / 1000f;
        }
        return new DepthMap(raw.width(), raw.height(), out);
    }
}
