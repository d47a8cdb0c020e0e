package dev.percept.data.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FSC-147: {@code images_384_VarV2/*.jpg}, {@code annotation_FSC147_384.json} (per image its
 * {@code points}; the count is their number) and {@code Train_Test_Val_FSC_147.json} (the
 * {@code train}, {@code val} and {@code test} image lists).
 */
public final class Fsc147 {
    private Fsc147() {}

    public static List<CountedImage> read(Path root, String split) {
        Path splitsFile = root.resolve("Train_Test_Val_FSC_147.json");
        Path annotationsFile = root.resolve("annotation_FSC147_384.json");
        JsonNode names = DatasetFiles.json(splitsFile).path(split);
        if (!names.isArray()) {
            throw new PerceptException(splitsFile + " has no \"" + split + "\" list");
        }
        JsonNode annotations = DatasetFiles.json(annotationsFile);
        List<CountedImage> out = new ArrayList<>();
        for (JsonNode n : names) {
            JsonNode points = annotations.path(n.asText()).path("points");
            if (!points.isArray()) {
                throw new PerceptException(annotationsFile + ": image " + n.asText() + " (listed in " + splitsFile
                        + ") has no \"points\" list");
            }
            out.add(new CountedImage(root.resolve("images_384_VarV2").resolve(n.asText()), points.size()));
        }
        DatasetFiles.requireAll(out.stream().map(CountedImage::image).toList(), splitsFile.toString());
        return out;
    }
}
