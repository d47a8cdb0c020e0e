package dev.percept.align;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides what a run learns: the model and its inputs, the triplets, LoRA, the
 * optimizer and the seed. Written to the run folder as {@code config.json}; a resumed run reads
 * it back and refuses options that contradict it.
 *
 * @param model the --model spec (folder, known name or comma-separated ensemble)
 * @param features feature mode name, or null for each member's default (the image objective)
 * @param precision auto, fp32 or bf16
 * @param imageSize input side, 0 for the model folder's
 * @param preprocess dreamsim or upstream
 * @param activation gelu, quick_gelu, or null for the checkpoint's
 * @param data the training triplet source
 * @param split the NIGHTS split to train on
 * @param val the validation source, or null (NIGHTS: its val split; folders with train/ and val/:
 *     val/; otherwise {@code valFraction} of the training triplets)
 * @param maxTriplets cap on training triplets (0: all), taken after a seeded shuffle
 * @param margin hinge margin
 * @param batch triplets per micro-batch
 * @param accumulate micro-batches per optimizer step
 * @param method {@link #LORA} or {@link #MLP_HEAD}
 * @param headHidden hidden width of the MLP head
 * @param checkpointKey the entry of a PyTorch checkpoint holding the weights, or null to find it
 */
public record AlignConfig(
        String model,
        String features,
        String precision,
        int imageSize,
        String preprocess,
        String activation,
        Path data,
        String split,
        Path val,
        double valFraction,
        int maxTriplets,
        LoraSpec lora,
        double lr,
        double beta1,
        double beta2,
        double weightDecay,
        int batch,
        int accumulate,
        int epochs,
        double margin,
        long seed,
        String method,
        int headHidden,
        String checkpointKey) {

    public static final double MARGIN = 0.05;
    /** LoRA branches inside the backbone(s). */
    public static final String LORA = "lora";
    /** DreamSim's MLP-head variant on a frozen backbone. */
    public static final String MLP_HEAD = "mlp_head";

    public AlignConfig {
        require(lr > 0, "--lr must be positive, got " + lr);
        require(batch > 0, "--batch must be positive, got " + batch);
        require(accumulate > 0, "--accumulate must be positive, got " + accumulate);
        require(epochs > 0, "--epochs must be positive, got " + epochs);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)");
        require(valFraction > 0 && valFraction < 1, "--val-fraction must be in (0, 1), got " + valFraction);
        require(maxTriplets >= 0, "--max-triplets must be >= 0, got " + maxTriplets);
        require(method.equals(LORA) || method.equals(MLP_HEAD), "--train must be lora or mlp_head, not " + method);
        require(headHidden > 0, "--head-hidden must be positive, got " + headHidden);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new PerceptException(message);
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonFiles.mapper().createObjectNode();
        n.put("model", model);
        n.put("features", features);
        n.put("precision", precision);
        n.put("image_size", imageSize);
        n.put("preprocess", preprocess);
        n.put("activation", activation);
        n.put("data", data.toString());
        n.put("split", split);
        n.put("val", val == null ? null : val.toString());
        n.put("val_fraction", valFraction);
        n.put("max_triplets", maxTriplets);
        ObjectNode l = n.putObject("lora");
        l.put("r", lora.rank());
        l.put("alpha", lora.alpha());
        l.put("dropout", lora.dropout());
        lora.targets().forEach(l.putArray("targets")::add);
        n.put("lr", lr);
        n.put("beta1", beta1);
        n.put("beta2", beta2);
        n.put("weight_decay", weightDecay);
        n.put("batch", batch);
        n.put("accumulate", accumulate);
        n.put("epochs", epochs);
        n.put("margin", margin);
        n.put("seed", seed);
        n.put("method", method);
        n.put("head_hidden", headHidden);
        n.put("checkpoint_key", checkpointKey);
        return n;
    }

    public static AlignConfig read(Path file) {
        JsonNode n = JsonFiles.readObject(file);
        try {
            JsonNode l = need(n, "lora", file);
            List<String> targets = new ArrayList<>();
            need(l, "targets", file).forEach(t -> targets.add(t.asText()));
            return new AlignConfig(
                    need(n, "model", file).asText(), text(n, "features"), need(n, "precision", file).asText(),
                    need(n, "image_size", file).asInt(), need(n, "preprocess", file).asText(), text(n, "activation"),
                    Path.of(need(n, "data", file).asText()), need(n, "split", file).asText(),
                    text(n, "val") == null ? null : Path.of(text(n, "val")), need(n, "val_fraction", file).asDouble(),
                    need(n, "max_triplets", file).asInt(),
                    new LoraSpec(need(l, "r", file).asInt(), need(l, "alpha", file).asDouble(),
                            need(l, "dropout", file).asDouble(), targets),
                    need(n, "lr", file).asDouble(), need(n, "beta1", file).asDouble(), need(n, "beta2", file).asDouble(),
                    need(n, "weight_decay", file).asDouble(), need(n, "batch", file).asInt(),
                    need(n, "accumulate", file).asInt(), need(n, "epochs", file).asInt(),
                    need(n, "margin", file).asDouble(), need(n, "seed", file).asLong(), need(n, "method", file).asText(),
                    need(n, "head_hidden", file).asInt(), text(n, "checkpoint_key"));
        } catch (PerceptException e) {
            throw new PerceptException(file + ": " + e.getMessage(), e);
        }
    }

    /** The settings of {@code other} that differ from this one, as "key: ours -> theirs". */
    public List<String> differences(AlignConfig other) {
        List<String> out = new ArrayList<>();
        ObjectNode a = toJson();
        ObjectNode b = other.toJson();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().equals(b.get(e.getKey()))) {
                out.add(e.getKey() + ": " + e.getValue() + " -> " + b.get(e.getKey()));
            }
        }
        return out;
    }

    private static JsonNode need(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new PerceptException("missing key '" + key + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
