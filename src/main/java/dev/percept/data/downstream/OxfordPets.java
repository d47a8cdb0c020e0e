package dev.percept.data.downstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Oxford-IIIT Pets in its own layout: {@code images/<name>.jpg} and
 * {@code annotations/{trainval,test}.txt}, lines {@code <name> <class id> <species> <breed id>}
 * ({@code #} starts a comment); the label is the breed name ({@code <name>} without its number).
 */
public final class OxfordPets {
    private OxfordPets() {}

    public static List<LabeledImage> read(Path root, String split) {
        Path listFile = root.resolve("annotations").resolve(split + ".txt");
        List<LabeledImage> out = new ArrayList<>();
        for (DatasetFiles.Row row : DatasetFiles.rows(listFile)) {
            if (row.text().startsWith("#")) {
                continue;
            }
            String[] f = row.fields();
            int cut = f[0].lastIndexOf('_');
            if (f.length != 4 || cut <= 0) {
                throw row.expected("<breed>_<n> <class> <species> <breed id>");
            }
            out.add(new LabeledImage(root.resolve("images").resolve(f[0] + ".jpg"), f[0].substring(0, cut)));
        }
        DatasetFiles.requireAll(out.stream().map(LabeledImage::image).toList(), listFile.toString());
        return out;
    }
}
