package dev.percept.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import dev.percept.io.StoredTensor;
import dev.percept.io.torch.TorchFile;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A LoRA adapter in the PEFT layout ({@code adapter_config.json} + {@code
 * adapter_model.safetensors}, or PEFT's older {@code adapter_model.bin}, read as data by {@link
 * TorchFile}), merged into the frozen weights at load time: W + (alpha / r) B A
 * for every adapted projection. Module paths are matched by their canonical tail ({@code
 * blocks.<i>.attn.qkv}, {@code attn.proj}, {@code mlp.fc1}, {@code mlp.fc2}; a SwiGLU MLP's
 * {@code mlp.fc1_g}, {@code mlp.fc1_x}), so adapters saved from DreamSim-style (timm block) models
 * load whatever prefix PEFT gave them. An adapter of a DreamSim model adapts each backbone under
 * {@code extractor_list.<i>.model}: one member is read at a time.
 */
public final class LoraAdapter {
    private static final Pattern KEY = Pattern.compile(
            "(?:.*\\.)?(blocks\\.\\d+\\.(?:attn\\.qkv|attn\\.proj|mlp\\.fc1|mlp\\.fc1_[gx]|mlp\\.fc2))\\.lora_([AB])(?:\\.[^.]+)?\\.weight");

    private static final Pattern MEMBER = Pattern.compile("(?:.*\\.)?extractor_list\\.(\\d+)\\..*");

    private final Path folder;
    private final double scale;
    /** Canonical module ("blocks.0.attn.qkv") to its [A, B] tensors. */
    private final Map<String, StoredTensor[]> modules;

    private LoraAdapter(Path folder, double scale, Map<String, StoredTensor[]> modules) {
        this.folder = folder;
        this.scale = scale;
        this.modules = modules;
    }

    /**
     * Reads and checks an adapter folder; nothing is merged yet. An adapter of a DreamSim model with
     * several backbones needs {@link #read(Path, int)}.
     */
    public static LoraAdapter read(Path folder) {
        return read(folder, -1);
    }

    /**
     * Reads the modules of DreamSim backbone {@code member} ({@code extractor_list.<member>}) and
     * skips the other members'; -1 reads an adapter of one model.
     */
    public static LoraAdapter read(Path folder, int member) {
        Path configFile = folder.resolve("adapter_config.json");
        Path weightsFile = folder.resolve("adapter_model.safetensors");
        if (!Files.isRegularFile(weightsFile)) {
            weightsFile = folder.resolve("adapter_model.bin");
        }
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new PerceptException("adapter folder " + folder + " must hold adapter_config.json and "
                    + "adapter_model.safetensors or adapter_model.bin (the PEFT layout)");
        }
        JsonNode config = JsonFiles.readObject(configFile);
        int r = config.path("r").asInt(0);
        double alpha = config.path("lora_alpha").asDouble(Double.NaN);
        if (r <= 0 || Double.isNaN(alpha)) {
            throw new PerceptException(configFile + ": needs a positive r and a lora_alpha, got r=" + config.get("r")
                    + ", lora_alpha=" + config.get("lora_alpha"));
        }
        for (String perModule : List.of("rank_pattern", "alpha_pattern")) {
            if (config.path(perModule).size() > 0) {
                throw new PerceptException(configFile + ": per-module " + perModule + " is not supported");
            }
        }
        double scale = config.path("use_rslora").asBoolean(false) ? alpha / Math.sqrt(r) : alpha / r;

        Map<String, StoredTensor[]> modules = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Set<Integer> members = new TreeSet<>();
        for (StoredTensor t : Checkpoint.tensors(weightsFile, null)) {
            Matcher owner = MEMBER.matcher(t.name());
            int index = owner.matches() ? Integer.parseInt(owner.group(1)) : -1;
            members.add(index);
            if (member >= 0 && index != member) {
                continue;
            }
            Matcher m = KEY.matcher(t.name());
            if (!m.matches()) {
                unknown.add(t.name());
                continue;
            }
            modules.computeIfAbsent(m.group(1), k -> new StoredTensor[2])[m.group(2).equals("A") ? 0 : 1] = t;
        }
        if (!unknown.isEmpty()) {
            throw new PerceptException(weightsFile + ": " + unknown.size() + " tensor(s) are not LoRA A/B weights of "
                    + "blocks.<i>.attn.qkv, attn.proj, mlp.fc1 (fc1_g, fc1_x) or mlp.fc2, e.g. " + unknown.subList(0, Math.min(3, unknown.size())));
        }
        for (Map.Entry<String, StoredTensor[]> e : modules.entrySet()) {
            StoredTensor a = e.getValue()[0];
            StoredTensor b = e.getValue()[1];
            if (a == null || b == null) {
                throw new PerceptException(weightsFile + ": " + e.getKey() + " has lora_" + (a == null ? "B" : "A")
                        + " but no lora_" + (a == null ? "A" : "B"));
            }
            if (a.shape().length != 2 || b.shape().length != 2 || a.shape()[0] != r || b.shape()[1] != r) {
                throw new PerceptException(weightsFile + ": " + e.getKey() + " has lora_A " + Arrays.toString(a.shape())
                        + " and lora_B " + Arrays.toString(b.shape()) + "; expected [" + r + ", in] and [out, " + r + "]");
            }
        }
        if (member < 0 && members.size() > 1) {
            throw new PerceptException(weightsFile + " adapts the " + members.size() + " backbones of a DreamSim"
                    + " ensemble (extractor_list " + members + "); load it by the ensemble's name");
        }
        if (modules.isEmpty()) {
            throw new PerceptException(weightsFile + " holds no LoRA weights"
                    + (member >= 0 ? " for DreamSim backbone " + member + " (extractor_list." + member + ")" : ""));
        }
        return new LoraAdapter(folder, scale, modules);
    }

    /** Adds each module's update to its canonical weight; fails naming mismatched modules. */
    void mergeInto(Map<String, Tensor> weights) {
        for (Map.Entry<String, StoredTensor[]> e : modules.entrySet()) {
            String key = e.getKey() + ".weight";
            Tensor w = weights.get(key);
            StoredTensor a = e.getValue()[0];
            StoredTensor b = e.getValue()[1];
            if (w == null) {
                throw new PerceptException("adapter " + folder + " adapts " + e.getKey() + ", which this model lacks");
            }
            if (w.size(0) != b.shape()[0] || w.size(1) != a.shape()[1]) {
                throw new PerceptException("adapter " + folder + ": " + e.getKey() + " is [" + b.shape()[0] + ", "
                        + a.shape()[1] + "] in the adapter but [" + w.size(0) + ", " + w.size(1) + "] in the model");
            }
            try (PointerScope scope = new PointerScope()) {
                Placement where = Placement.of(w);
                Ops.addProduct(w, where.floats(b.toFloats(), b.shape()), where.floats(a.toFloats(), a.shape()), scale);
            }
        }
    }
}
