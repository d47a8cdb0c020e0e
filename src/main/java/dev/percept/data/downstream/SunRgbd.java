package dev.percept.data.downstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SUN RGB-D depth in the layout of the monocular depth toolboxes: the {@code SUNRGBD/} tree of the
 * official release ({@code SUNRGBD/<sensor>/<source>/<scene>/image/<name>.jpg} and
 * {@code depth_bfx/<name>.png}) with split lists {@code SUNRGBD_<split>_splits.txt} in the root,
 * lines {@code <rgb path> <depth path>} relative to the root (a leading slash tolerated; a depth
 * of {@code None} marks a pair without depth, skipped as the toolboxes do). Depth PNGs are 16-bit
 * millimetres with the bits rotated (see {@link DepthSet.Encoding#ROTATED_MILLIMETRES}).
 */
public final class SunRgbd {
    private SunRgbd() {}

    public static List<DenseImage> read(Path root, String split) {
        Path listFile = root.resolve("SUNRGBD_" + split + "_splits.txt");
        List<DenseImage> out = new ArrayList<>();
        for (DatasetFiles.Row row : DatasetFiles.rows(listFile)) {
            String[] f = row.fields();
            if (f.length != 2) {
                throw row.expected("<rgb> <depth>");
            }
            if (!f[1].equals("None")) {
                out.add(new DenseImage(DatasetFiles.listed(root, f[0]), DatasetFiles.listed(root, f[1])));
            }
        }
        DatasetFiles.requirePairs(out, listFile.toString());
        return out;
    }
}
