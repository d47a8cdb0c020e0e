package dev.percept.align;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.embed.ModelRequest;
import dev.percept.embed.PreprocessMode;
import dev.percept.io.JsonFiles;
import dev.percept.model.FeatureMode;
import dev.percept.model.VitConfig.Activation;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides what a run learns: the model and its inputs, the triplets, the method
 * (LoRA or the MLP head), the optimizer, the margin and the schedule. Written to the run folder as
 * {@code config.json} (flat keys, unchanged since the first runs, so that --resume reads runs
 * written before this type existed); a resumed run reads it back and refuses options that
 * contradict it.
 */
public record AlignConfig(Model model, Triplets triplets, Method method, LoraSpec lora, int headHidden, Optimizer optimizer,
        double margin, Schedule schedule) {

    /** DreamSim's hinge margin. */
    public static final double MARGIN = 0.05;

    /**
     * The model to align and how it reads images.
     *
     * @param spec the --model spec (folder, known name or comma-separated ensemble)
     * @param features null for each member's default (the image objective)
     * @param imageSize input side, 0 for the model folder's
     * @param activation null for the checkpoint's
     * @param checkpointKey the entry of a PyTorch checkpoint holding the weights, or null to find it
     */
    public record Model(String spec, FeatureMode features, Precision precision, int imageSize, PreprocessMode preprocess,
            Activation activation, String checkpointKey) {
        /** {@code spec} with its own features, automatic precision and DreamSim's preprocessing. */
        public static Model of(String spec, FeatureMode features) {
            return new Model(spec, features, Precision.AUTO, 0, PreprocessMode.DREAMSIM, null, null);
        }

        ModelRequest request(ComputeDevice device) {
            return new ModelRequest(spec, features, precision, device, imageSize, preprocess, activation, List.of(), checkpointKey,
                    null);
        }
    }

    /**
     * The triplets: what to train on and what to validate on.
     *
     * @param split the NIGHTS split to train on
     * @param val the validation source, or null (NIGHTS: its val split; folders with train/ and
     *     val/: val/; otherwise {@code valFraction} of the training triplets)
     * @param maxTriplets cap on training triplets (0: all), taken after a seeded shuffle
     */
    public record Triplets(Path data, String split, Path val, double valFraction, int maxTriplets) {
        public Triplets {
            require(valFraction > 0 && valFraction < 1, "--val-fraction must be in (0, 1), got " + valFraction);
            require(maxTriplets >= 0, "--max-triplets must be >= 0, got " + maxTriplets);
        }

        /** Training triplets from {@code data}'s train split, validation as the defaults choose. */
        public static Triplets of(Path data, int maxTriplets) {
            return new Triplets(data, "train", null, 0.1, maxTriplets);
        }
    }

    /** What is trained. */
    public enum Method {
        /** LoRA branches inside the backbone(s). */
        LORA,
        /** DreamSim's MLP-head variant on a frozen backbone. */
        MLP_HEAD;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.cliName().equals(s)) {
                    return m;
                }
            }
            throw new PerceptException("--train must be lora or mlp_head, not " + s);
        }
    }

    /** Adam's settings. */
    public record Optimizer(double lr, double beta1, double beta2, double weightDecay) {
        public Optimizer {
            require(lr > 0, "--lr must be positive, got " + lr);
            require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)");
        }

        /** DreamSim's: betas (0.5, 0.999), no weight decay. */
        public static Optimizer dreamsim(double lr) {
            return new Optimizer(lr, 0.5, 0.999, 0);
        }
    }

    /**
     * @param batch triplets per micro-batch
     * @param accumulate micro-batches per optimizer step
     */
    public record Schedule(int batch, int accumulate, int epochs, long seed) {
        public Schedule {
            require(batch > 0, "--batch must be positive, got " + batch);
            require(accumulate > 0, "--accumulate must be positive, got " + accumulate);
            require(epochs > 0, "--epochs must be positive, got " + epochs);
        }
    }

    public AlignConfig {
        require(headHidden > 0, "--head-hidden must be positive, got " + headHidden);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new PerceptException(message);
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonFiles.mapper().createObjectNode();
        n.put("model", model.spec());
        n.put("features", model.features() == null ? null : model.features().cliName());
        n.put("precision", model.precision().toString());
        n.put("image_size", model.imageSize());
        n.put("preprocess", model.preprocess().cliName());
        n.put("activation", model.activation() == null ? null : model.activation().name().toLowerCase(Locale.ROOT));
        n.put("data", triplets.data().toString());
        n.put("split", triplets.split());
        n.put("val", triplets.val() == null ? null : triplets.val().toString());
        n.put("val_fraction", triplets.valFraction());
        n.put("max_triplets", triplets.maxTriplets());
        ObjectNode l = n.putObject("lora");
        l.put("r", lora.rank());
        l.put("alpha", lora.alpha());
        l.put("dropout", lora.dropout());
        lora.targets().forEach(l.putArray("targets")::add);
        n.put("lr", optimizer.lr());
        n.put("beta1", optimizer.beta1());
        n.put("beta2", optimizer.beta2());
        n.put("weight_decay", optimizer.weightDecay());
        n.put("batch", schedule.batch());
        n.put("accumulate", schedule.accumulate());
        n.put("epochs", schedule.epochs());
        n.put("margin", margin);
        n.put("seed", schedule.seed());
        n.put("method", method.cliName());
        n.put("head_hidden", headHidden);
        n.put("checkpoint_key", model.checkpointKey());
        return n;
    }

    public static AlignConfig read(Path file) {
        JsonNode n = JsonFiles.readObject(file);
        try {
            JsonNode l = need(n, "lora");
            List<String> targets = new ArrayList<>();
            need(l, "targets").forEach(t -> targets.add(t.asText()));
            String features = text(n, "features");
            String activation = text(n, "activation");
            String val = text(n, "val");
            Model model = new Model(need(n, "model").asText(), features == null ? null : FeatureMode.parse(features),
                    precision(need(n, "precision").asText()), need(n, "image_size").asInt(),
                    PreprocessMode.parse(need(n, "preprocess").asText()),
                    activation == null ? null : ModelRequest.parseActivation(activation), text(n, "checkpoint_key"));
            Triplets triplets = new Triplets(Path.of(need(n, "data").asText()), need(n, "split").asText(),
                    val == null ? null : Path.of(val), need(n, "val_fraction").asDouble(), need(n, "max_triplets").asInt());
            LoraSpec lora = new LoraSpec(need(l, "r").asInt(), need(l, "alpha").asDouble(), need(l, "dropout").asDouble(), targets);
            Optimizer optimizer = new Optimizer(need(n, "lr").asDouble(), need(n, "beta1").asDouble(), need(n, "beta2").asDouble(),
                    need(n, "weight_decay").asDouble());
            Schedule schedule = new Schedule(need(n, "batch").asInt(), need(n, "accumulate").asInt(), need(n, "epochs").asInt(),
                    need(n, "seed").asLong());
            return new AlignConfig(model, triplets, Method.parse(need(n, "method").asText()), lora, need(n, "head_hidden").asInt(),
                    optimizer, need(n, "margin").asDouble(), schedule);
        } catch (PerceptException e) {
            throw new PerceptException(file + ": " + e.getMessage(), e);
        }
    }

    private static Precision precision(String s) {
        try {
            return Precision.parse(s);
        } catch (IllegalArgumentException e) {
            throw new PerceptException("precision must be auto, fp32 or bf16, not " + s);
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

    private static JsonNode need(JsonNode n, String key) {
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
