package dev.percept.align;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.io.JsonFiles;
import dev.percept.io.SafetensorsWriter;
import dev.percept.model.VisionTransformer;
import dev.percept.tensor.Parameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainable LoRA parameters of one backbone, attached to its frozen projections. Saved in the
 * PEFT layout under DreamSim's module names ({@code base_model.model.blocks.<i>.attn.qkv.lora_A.weight}),
 * so the adapter loads with {@code --adapter} here and with PEFT in Python.
 */
final class LoraWeights {
    static final String PEFT_PREFIX = "base_model.model.";

    private final LoraSpec spec;
    /** PEFT tensor names ({@code base_model.model.<module>.lora_A.weight}, then its B), module by module. */
    private final Parameters parameters;

    private LoraWeights(LoraSpec spec, Parameters parameters) {
        this.spec = spec;
        this.parameters = parameters;
    }

    /**
     * New branches on every targeted projection, initialised as PEFT does (see {@link
     * VisionTransformer#attachLora}), in block order. Draws come from libtorch's default generator
     * (seed it first). The transformer owns the branches.
     */
    static LoraWeights attach(VisionTransformer vit, LoraSpec spec) {
        List<Parameters> branches = new ArrayList<>();
        for (String module : vit.adaptableModules().keySet()) {
            if (spec.targets(module)) {
                branches.add(vit.attachLora(module, spec.rank(), spec.scale(), spec.dropout()));
            }
        }
        return new LoraWeights(spec, Parameters.concat(branches).withPrefix(PEFT_PREFIX));
    }

    /** The parameters under their PEFT names, each module's A, then its B. */
    Parameters parameters() {
        return parameters;
    }

    /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} into {@code folder}. */
    void writeAdapter(Path folder, String baseModel) {
        SafetensorsWriter.write(folder.resolve("adapter_model.safetensors"), parameters.values(), Map.of("format", "pt"));
        ObjectNode config = JsonFiles.mapper().createObjectNode();
        config.put("peft_type", "LORA");
        config.put("base_model_name_or_path", baseModel);
        config.put("r", spec.rank());
        config.put("lora_alpha", spec.alpha());
        config.put("lora_dropout", spec.dropout());
        spec.targets().forEach(config.putArray("target_modules")::add);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("init_lora_weights", true);
        config.put("use_rslora", false);
        config.put("inference_mode", true);
        config.putNull("modules_to_save");
        config.putNull("task_type");
        JsonFiles.write(folder.resolve("adapter_config.json"), config);
    }
}
