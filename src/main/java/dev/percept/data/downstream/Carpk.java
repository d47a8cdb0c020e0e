package dev.percept.data.downstream;

import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CARPK: {@code Images/<id>.png}, {@code Annotations/<id>.txt} (one car box per line,
 * {@code x1 y1 x2 y2 class}; the count is the number of boxes) and {@code ImageSets/<split>.txt}.
 * The devkit's {@code data/} folder is accepted as the root too.
 */
public final class Carpk {
    private Carpk() {}

    public static List<CountedImage> read(Path root, String split) {
        Path base = root.resolve("data").resolve("Images").toFile().isDirectory() ? root.resolve("data") : root;
        Path listFile = base.resolve("ImageSets").resolve(split + ".txt");
        List<CountedImage> out = new ArrayList<>();
        for (String line : DatasetFiles.lines(listFile)) {
            String id = line.strip();
            if (id.isEmpty()) {
                continue;
            }
            Path annotation = base.resolve("Annotations").resolve(id + ".txt");
            List<DatasetFiles.Row> boxes = DatasetFiles.rows(annotation);
            for (DatasetFiles.Row row : boxes) {
                if (row.fields().length != 5 || !numeric(row.fields())) {
                    throw row.expected("x1 y1 x2 y2 class");
                }
            }
            out.add(new CountedImage(base.resolve("Images").resolve(id + ".png"), boxes.size()));
        }
        DatasetFiles.requireAll(out.stream().map(CountedImage::image).toList(), listFile.toString());
        return out;
    }

    private static boolean numeric(String[] fields) {
        for (String f : fields) {
            try {
                Double.parseDouble(f);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
