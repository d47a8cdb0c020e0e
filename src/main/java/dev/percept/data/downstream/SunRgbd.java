package dev.percept.data.downstream;

import dev.percept.PerceptException;
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
        List<String> lines = DatasetFiles.lines(listFile);
        List<DenseImage> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 2) {
                throw new PerceptException(listFile + ", line " + (i + 1) + ": expected '<rgb> <depth>', got '" + line + "'");
            }
            if (!f[1].equals("None")) {
                out.add(new DenseImage(DatasetFiles.listed(root, f[0]), DatasetFiles.listed(root, f[1])));
            }
        }
        DatasetFiles.requireAll(out.stream().map(DenseImage::image).toList(), listFile.toString());
        DatasetFiles.requireAll(out.stream().map(DenseImage::target).toList(), listFile.toString());
        return out;
    }
}
