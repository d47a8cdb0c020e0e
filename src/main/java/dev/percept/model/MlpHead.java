package dev.percept.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.io.SafetensorsWriter;
import dev.percept.tensor.Forward;
import dev.percept.tensor.NativeOwner;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Parameters;
import dev.percept.tensor.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * DreamSim's MLP-head variant: a residual MLP on a frozen backbone's feature, {@code x +
 * fc2(relu(fc1(x)))}. Saved as a folder with {@code head_config.json} (the feature it was trained
 * on and the widths) and {@code head.safetensors} ({@code fc1.weight}, {@code fc1.bias}, {@code
 * fc2.weight}, {@code fc2.bias}, as DreamSim's MLP module names them). Weights are float32.
 */
public final class MlpHead implements AutoCloseable {
    public static final int DEFAULT_HIDDEN = 512;
    private static final List<String> NAMES = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    private final NativeOwner owner = new NativeOwner();
    private final FeatureMode features;
    private final Tensor fc1Weight;
    private final Tensor fc1Bias;
    private final Tensor fc2Weight;
    private final Tensor fc2Bias;

    private MlpHead(FeatureMode features, Tensor fc1Weight, Tensor fc1Bias, Tensor fc2Weight, Tensor fc2Bias) {
        this.features = features;
        this.fc1Weight = owner.keep(fc1Weight);
        this.fc1Bias = owner.keep(fc1Bias);
        this.fc2Weight = owner.keep(fc2Weight);
        this.fc2Bias = owner.keep(fc2Bias);
    }

    /**
     * A new trainable head, initialised as torch.nn.Linear is (weights and biases U(-1/sqrt(in),
     * 1/sqrt(in))) from libtorch's default generator, on {@code where} (the model's device).
     */
    public static MlpHead initial(Placement where, FeatureMode features, int dim, int hidden) {
        double b1 = 1 / Math.sqrt(dim);
        double b2 = 1 / Math.sqrt(hidden);
        return new MlpHead(features, where.parameter(where.uniform(-b1, b1, hidden, dim)), where.parameter(where.uniform(-b1, b1, hidden)),
                where.parameter(where.uniform(-b2, b2, dim, hidden)), where.parameter(where.uniform(-b2, b2, dim)));
    }

    /**
     * Reads a head folder onto {@code where} (the model's device); every missing or mis-shaped
     * tensor is an error naming the file.
     */
    public static MlpHead read(Path folder, Placement where) {
        Path configFile = folder.resolve("head_config.json");
        Path weightsFile = folder.resolve("head.safetensors");
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new PerceptException("head folder " + folder + " must hold head_config.json and head.safetensors");
        }
        JsonNode config = JsonFiles.readObject(configFile);
        int dim = config.path("in_features").asInt(0);
        int hidden = config.path("hidden").asInt(0);
        if (!config.path("type").asText().equals("mlp") || dim <= 0 || hidden <= 0 || !config.hasNonNull("features")) {
            throw new PerceptException(configFile + ": expected type \"mlp\", positive in_features and hidden, and the "
                    + "features it was trained on");
        }
        Safetensors st = Safetensors.read(weightsFile);
        long[][] shapes = {{hidden, dim}, {hidden}, {dim, hidden}, {dim}};
        Tensor[] t = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            String name = NAMES.get(i);
            if (!st.contains(name)) {
                throw new PerceptException(weightsFile + " has no tensor " + name);
            }
            SafetensorsTensor s = st.tensor(name);
            if (!Arrays.equals(s.shape(), shapes[i])) {
                throw new PerceptException(weightsFile + ": " + name + " is " + Arrays.toString(s.shape())
                        + ", expected " + Arrays.toString(shapes[i]) + " from " + configFile);
            }
            t[i] = where.floats(s.toFloats(), shapes[i]);
        }
        return new MlpHead(FeatureMode.parse(config.get("features").asText()), t[0], t[1], t[2], t[3]);
    }

    public void write(Path folder) {
        SafetensorsWriter.write(folder.resolve("head.safetensors"), parameters().values(), Map.of("format", "pt"));
        ObjectNode config = JsonFiles.mapper().createObjectNode();
        config.put("type", "mlp");
        config.put("features", features.cliName());
        config.put("in_features", fc1Weight.size(1));
        config.put("hidden", fc1Weight.size(0));
        config.put("activation", "relu");
        config.put("residual", true);
        JsonFiles.write(folder.resolve("head_config.json"), config);
    }

    /** The feature mode the head was trained on; it applies to no other. */
    public FeatureMode features() {
        return features;
    }

    public long inFeatures() {
        return fc1Weight.size(1);
    }

    /** x + fc2(relu(fc1(x))) on float32 rows [N, D]. */
    public Tensor apply(Tensor x) {
        Tensor hidden = Ops.relu(Ops.linear(x, fc1Weight, fc1Bias));
        return Ops.linear(hidden, fc2Weight, fc2Bias).add_(x);
    }

    /**
     * The head's forward on {@code n} feature rows of its input width (row-major), for a
     * training-step kernel.
     */
    public Forward forward(float[] rows, long n) {
        return () -> apply(Placement.of(fc1Weight).floats(rows, n, inFeatures()));
    }

    /** The weights in file order: fc1.weight, fc1.bias, fc2.weight, fc2.bias. */
    public Parameters parameters() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        List<Tensor> tensors = List.of(fc1Weight, fc1Bias, fc2Weight, fc2Bias);
        for (int i = 0; i < NAMES.size(); i++) {
            named.put(NAMES.get(i), tensors.get(i));
        }
        return Parameters.of(named);
    }

    @Override
    public void close() {
        owner.close();
    }
}
