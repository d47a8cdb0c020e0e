package dev.percept.model;

import dev.percept.model.VitConfig.Activation;
import dev.percept.model.layout.Layout;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Opens a model folder in any supported upstream layout as a ready-to-run {@link Backbone}. */
public final class ModelLoader {
    private ModelLoader() {}

    /**
     * @param activation overrides the checkpoint's activation (open_clip weights don't record it),
     *     or null to take it from the config
     */
    public static Backbone load(Path folder, Activation activation, Precision precision, ComputeDevice device) {
        return load(folder, (Path) null, activation, precision, device);
    }

    /**
     * @param adapter a PEFT LoRA adapter folder merged into the weights, or null
     */
    public static Backbone load(Path folder, Path adapter, Activation activation, Precision precision, ComputeDevice device) {
        return load(Checkpoint.open(folder), adapter, activation, precision, device);
    }

    /** A backbone from opened weights (a folder, a single file, a chosen PyTorch checkpoint entry). */
    public static Backbone load(Checkpoint checkpoint, Path adapter, Activation activation, Precision precision,
            ComputeDevice device) {
        return load(checkpoint, adapter == null ? null : LoraAdapter.read(adapter), activation, precision, device);
    }

    /**
     * @param lora a LoRA adapter merged into the weights (one backbone of a DreamSim adapter), or null
     */
    public static Backbone load(Checkpoint checkpoint, LoraAdapter lora, Activation activation, Precision precision,
            ComputeDevice device) {
        Layout.Plan plan = Layout.detect(checkpoint).plan(checkpoint, activation);
        Map<String, Tensor> weights = plan.keys().load(checkpoint);
        if (lora != null) {
            lora.mergeInto(weights); // in float32, before any cast to bf16
        }
        VisionTransformer vit = new VisionTransformer(plan.config(), weights, precision, device);
        Path source = checkpoint.source();
        return new Backbone(
                source.getFileName() == null ? source.toString() : source.getFileName().toString(),
                plan.layout(),
                vit,
                InputSpec.of(checkpoint, plan),
                precision.resolve(device));
    }

    /** A backbone from canonical weights already in memory (benchmarks, tests). */
    public static Backbone fromWeights(
            String name, VitConfig config, Map<String, Tensor> weights, InputSpec input,
            Precision precision, ComputeDevice device) {
        VisionTransformer vit = new VisionTransformer(config, weights, precision, device);
        return new Backbone(name, "in-memory", vit, input, precision.resolve(device));
    }
}
