package dev.percept.data.downstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 4D Light Field benchmark (Honauer et al., ACCV 2016) as a depth test set: scene folders
 * under the category folders {@code training/}, {@code additional/}, {@code stratified/} and
 * {@code test/}, each with the 9 x 9 views {@code input_Cam000.png}..{@code input_Cam080.png}
 * (the centre view, {@code input_Cam040.png}, is the image) and {@code gt_depth_lowres.pfm}
 * (depth in metres at the views' resolution; the test scenes have none in public). A split is one
 * category folder or several joined with {@code +}.
 */
public final class LightField {
    public static final String CENTRE_VIEW = "input_Cam040.png";
    public static final String DEPTH = "gt_depth_lowres.pfm";

    private LightField() {}

    public static List<DenseImage> read(Path root, String split) {
        List<DenseImage> out = new ArrayList<>();
        for (String category : split.split("\\+")) {
            Path dir = DatasetFiles.requireDir(root.resolve(category), "scene category folder");
            List<DenseImage> scenes = new ArrayList<>();
            for (Path scene : DatasetFiles.list(dir)) {
                if (Files.isDirectory(scene)) {
                    scenes.add(new DenseImage(scene.resolve(CENTRE_VIEW), scene.resolve(DEPTH)));
                }
            }
            DatasetFiles.requirePairs(scenes, "the scenes in " + dir);
            out.addAll(scenes);
        }
        return out;
    }
}
