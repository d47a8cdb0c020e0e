package dev.percept.data.downstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NYU Depth v2 in the BTS / DINOv2 layout: {@code nyu_train.txt} and {@code nyu_test.txt}, lines
 * {@code <rgb path> <depth path> <focal>} relative to the root (a leading slash is tolerated, as
 * BTS's train list has one); depth maps are 16-bit PNGs in millimetres, 0 where unmeasured.
 */
public final class NyuDepth {
    private NyuDepth() {}

    public static List<DenseImage> read(Path root, String split) {
        Path listFile = root.resolve("nyu_" + split + ".txt");
        List<DenseImage> out = new ArrayList<>();
        for (DatasetFiles.Row row : DatasetFiles.rows(listFile)) {
            String[] f = row.fields();
            if (f.length != 3) {
                throw row.expected("<rgb> <depth> <focal>");
            }
            try {
                Double.parseDouble(f[2]);
            } catch (NumberFormatException e) {
                throw row.error("focal length '" + f[2] + "' is not a number");
            }
            out.add(new DenseImage(DatasetFiles.listed(root, f[0]), DatasetFiles.listed(root, f[1])));
        }
        DatasetFiles.requirePairs(out, listFile.toString());
        return out;
    }
}
