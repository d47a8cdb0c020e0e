package dev.percept.data.downstream;

import dev.percept.PerceptException;
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
        List<String> lines = DatasetFiles.lines(listFile);
        List<DenseImage> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new PerceptException(listFile + ", line " + (i + 1) + ": expected '<rgb> <depth> <focal>', got '" + line + "'");
            }
            try {
                Double.parseDouble(f[2]);
            } catch (NumberFormatException e) {
                throw new PerceptException(listFile + ", line " + (i + 1) + ": focal length '" + f[2] + "' is not a number");
            }
            out.add(new DenseImage(DatasetFiles.listed(root, f[0]), DatasetFiles.listed(root, f[1])));
        }
        DatasetFiles.requireAll(out.stream().map(DenseImage::image).toList(), listFile.toString());
        DatasetFiles.requireAll(out.stream().map(DenseImage::target).toList(), listFile.toString());
        return out;
    }
}
