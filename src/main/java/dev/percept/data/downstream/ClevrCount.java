package dev.percept.data.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CLEVR counting: {@code images/<split>/*.png} and {@code scenes/CLEVR_<split>_scenes.json}; an
 * image's count is the number of objects in its scene.
 */
public final class ClevrCount {
    private ClevrCount() {}

    public static List<CountedImage> read(Path root, String split) {
        Path scenesFile = root.resolve("scenes").resolve("CLEVR_" + split + "_scenes.json");
        JsonNode scenes = DatasetFiles.json(scenesFile).path("scenes");
        if (!scenes.isArray()) {
            throw new PerceptException(scenesFile + " has no \"scenes\" list");
        }
        List<CountedImage> out = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            JsonNode scene = scenes.get(i);
            JsonNode name = scene.path("image_filename");
            JsonNode objects = scene.path("objects");
            if (!name.isTextual() || !objects.isArray()) {
                throw new PerceptException(scenesFile + ": scenes[" + i + "] needs \"image_filename\" and an \"objects\" list");
            }
            out.add(new CountedImage(root.resolve("images").resolve(split).resolve(name.asText()), objects.size()));
        }
        DatasetFiles.requireAll(out.stream().map(CountedImage::image).toList(), scenesFile.toString());
        return out;
    }
}
