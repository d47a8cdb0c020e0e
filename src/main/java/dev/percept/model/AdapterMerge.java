package dev.percept.model;

import dev.percept.PerceptException;
import dev.percept.io.SafetensorsWriter;
import dev.percept.model.layout.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Folds a LoRA adapter into a model's weights for good: a new model folder in the model's own
 * layout (its JSON configs copied, its vision weights merged and written as F32) that loads
 * anywhere the original did, with no adapter. Tensors outside the vision model (a CLIP text
 * tower) are not carried over.
 */
public final class AdapterMerge {
    private AdapterMerge() {}

    public static void write(Path model, Path adapter, Path out) {
        if (Files.isDirectory(out) && out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new PerceptException("--out " + out + " is the model folder itself; choose a new folder");
        }
        LoraAdapter lora = LoraAdapter.read(adapter);
        Checkpoint checkpoint = Checkpoint.open(model);
        Layout.Plan plan = Layout.detect(checkpoint).plan(checkpoint, null);
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> weights = plan.keys().load(checkpoint);
            lora.mergeInto(weights);
            Files.createDirectories(out);
            for (Path json : configs(checkpoint.folder())) {
                Files.copy(json, out.resolve(json.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            SafetensorsWriter.write(out.resolve(checkpoint.weightFileName()), plan.keys().unload(weights),
                    Map.of("format", "pt", "merged_adapter", adapter.toAbsolutePath().toString()));
        } catch (IOException e) {
            throw new PerceptException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** The folder's JSON configs, except a shard index (the merged copy is one file). */
    private static List<Path> configs(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") && !name.endsWith(".index.json");
            }).sorted().toList();
        }
    }
}
