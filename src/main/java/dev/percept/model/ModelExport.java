package dev.percept.model;

import dev.percept.PerceptException;
import dev.percept.io.SafetensorsWriter;
import dev.percept.model.layout.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Writes a model as a new safetensors folder that loads anywhere the original did, with no pickle
 * and no adapter: its JSON configs copied, and either every tensor as stored (dtype kept, views
 * made contiguous; {@code percept convert}) or, with a LoRA adapter, the vision weights in the
 * model's own layout with the adapter folded in, as F32 ({@code percept merge}, {@code convert
 * --adapter}). A merge leaves out tensors outside the vision model (a CLIP text tower).
 */
public final class ModelExport {
    private ModelExport() {}

    /** @param adapter a PEFT LoRA adapter folder to fold in, or null to copy the weights as stored */
    public static void write(Checkpoint checkpoint, Path adapter, Path out) {
        if (out.toAbsolutePath().normalize().equals(checkpoint.folder().toAbsolutePath().normalize())) {
            throw new PerceptException("--out " + out + " is the model's own folder; choose a new folder");
        }
        LoraAdapter lora = adapter == null ? null : LoraAdapter.read(adapter);
        Path weightsFile = out.resolve(checkpoint.weightFileName());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("source", checkpoint.describe());
        try (PointerScope scope = new PointerScope()) {
            Files.createDirectories(out);
            for (Path json : configs(checkpoint.folder())) {
                Files.copy(json, out.resolve(json.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            if (lora == null) {
                SafetensorsWriter.writeStored(weightsFile, checkpoint.tensors(), metadata);
                return;
            }
            Layout.Plan plan = Layout.detect(checkpoint).plan(checkpoint, null);
            Map<String, Tensor> weights = plan.keys().load(checkpoint);
            lora.mergeInto(weights);
            metadata.put("merged_adapter", adapter.toAbsolutePath().toString());
            SafetensorsWriter.write(weightsFile, plan.keys().unload(weights), metadata);
        } catch (IOException e) {
            throw new PerceptException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** The folder's JSON configs, except a shard index (the copy is one file). */
    private static List<Path> configs(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return Files.isRegularFile(p) && name.endsWith(".json") && !name.endsWith(".index.json");
            }).sorted().toList();
        }
    }
}
