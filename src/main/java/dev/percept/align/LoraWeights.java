package dev.percept.align;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.io.FloatArray;
import dev.percept.io.JsonFiles;
import dev.percept.io.SafetensorsWriter;
import dev.percept.model.LoraBranch;
import dev.percept.model.VisionTransformer;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The trainable LoRA parameters of one backbone, attached to its frozen projections. Saved in the
 * PEFT layout under DreamSim's module names ({@code base_model.model.blocks.<i>.attn.qkv.lora_A.weight}),
 * so the adapter loads with {@code --adapter} here and with PEFT in Python.
 */
final class LoraWeights implements AutoCloseable {
    static final String PEFT_PREFIX = "base_model.model.";

    private final LoraSpec spec;
    /** Canonical module name to its branch, in block order. */
    private final Map<String, LoraBranch> branches;

    private LoraWeights(LoraSpec spec, Map<String, LoraBranch> branches) {
        this.spec = spec;
        this.branches = branches;
    }

    /**
     * New branches on every targeted projection, initialised as PEFT does: A from
     * kaiming_uniform(a = sqrt 5), i.e. U(-1/sqrt(in), 1/sqrt(in)), and B zero, so training starts
     * from the base model. Draws come from libtorch's default generator (seed it first).
     */
    static LoraWeights attach(VisionTransformer vit, LoraSpec spec) {
        Map<String, LoraBranch> branches = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> m : vit.adaptableModules().entrySet()) {
            if (!spec.targets(m.getKey())) {
                continue;
            }
            long out = m.getValue()[0];
            long in = m.getValue()[1];
            double bound = 1 / Math.sqrt(in);
            Tensor a = retained(Tensors.parameter(Tensors.uniform(-bound, bound, spec.rank(), in)));
            Tensor b = retained(Tensors.parameter(Tensors.zeros(out, spec.rank())));
            LoraBranch branch = new LoraBranch(a, b, spec.scale(), spec.dropout());
            vit.attachLora(m.getKey(), branch);
            branches.put(m.getKey(), branch);
        }
        return new LoraWeights(spec, branches);
    }

    /** The parameters in a fixed order: each module's A, then its B. */
    List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (LoraBranch b : branches.values()) {
            out.add(b.a());
            out.add(b.b());
        }
        return out;
    }

    /** PEFT tensor names, matching {@link #parameters()}. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (String module : branches.keySet()) {
            out.add(PEFT_PREFIX + module + ".lora_A.weight");
            out.add(PEFT_PREFIX + module + ".lora_B.weight");
        }
        return out;
    }

    /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} into {@code folder}. */
    void writeAdapter(Path folder, String baseModel) {
        Map<String, FloatArray> tensors = new LinkedHashMap<>();
        List<String> names = names();
        List<Tensor> params = parameters();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(names.get(i), Tensors.floatArray(params.get(i)));
        }
        SafetensorsWriter.write(folder.resolve("adapter_model.safetensors"), tensors, Map.of("format", "pt"));
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

    private static Tensor retained(Tensor t) {
        t.retainReference(); // outlives the scope it was made in; released in close()
        return t;
    }

    @Override
    public void close() {
        for (LoraBranch b : branches.values()) {
            b.a().releaseReference();
            b.b().releaseReference();
        }
    }
}
