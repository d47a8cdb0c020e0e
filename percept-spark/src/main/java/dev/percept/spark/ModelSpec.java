package dev.percept.spark;

import dev.percept.PerceptException;
import dev.percept.embed.ModelRequest;
import dev.percept.embed.PreprocessMode;
import dev.percept.hub.DreamSimSettings;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * A job's model options in a form Spark ships to executors (a {@link ModelRequest} holds
 * {@code Path}s, which do not serialize). Each executor opens the model from these as
 * {@code percept embed} does from its command line, so the model folder, known name or adapter
 * must be readable on every executor (a shared file system, or the same model cache).
 *
 * @param adapters PEFT adapter folders, one per member or none
 * @param features null for each member's default
 * @param normalize null for the model's own default (DreamSim's for its released models, else none)
 */
public record ModelSpec(String model, List<String> adapters, String features, String normalize, String precision,
        int imageSize, String preprocess) implements Serializable {

    public ModelSpec {
        adapters = List.copyOf(adapters);
    }

    /** What {@code percept embed} would open for the same options. */
    public ModelRequest request() {
        return new ModelRequest(model, features == null ? null : FeatureMode.parse(features), parsedPrecision(),
                ComputeDevice.CPU, imageSize, PreprocessMode.parse(preprocess), null,
                adapters.stream().map(Path::of).toList(), null, null);
    }

    private Precision parsedPrecision() {
        try {
            return Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new PerceptException("--precision must be auto, fp32 or bf16, not " + precision);
        }
    }

    public FeatureNorm normalization() {
        return normalize == null ? ModelRequest.defaultNorm(model, KnownModels.DEFAULT) : FeatureNorm.parse(normalize);
    }

    /** The model cache as this JVM's environment configures it (HF_HUB_CACHE, HF_HOME, ...), as the CLI's. */
    public static ModelStore store() {
        HubSettings hub = HubSettings.fromEnvironment();
        return new ModelStore(hub, DreamSimSettings.fromEnvironment(hub), KnownModels.DEFAULT);
    }
}
