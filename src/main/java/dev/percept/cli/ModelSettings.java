package dev.percept.cli;

import dev.percept.embed.ModelRequest;
import dev.percept.model.FeatureNorm;
import dev.percept.embed.PreprocessMode;
import dev.percept.hub.DreamSimSettings;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Everything about running a backbone except which one: shared by commands that take one model and by `compare`. */
class ModelSettings {
    @Option(names = "--features", paramLabel = "MODE",
            description = "cls, cls_normed, embedding, patch_mean, cls_patch, dreamsim_patch or patch_tokens "
                    + "(default: embedding for CLIP/OpenCLIP, cls otherwise; DreamSim's for its released models).")
    String features;

    @Option(names = "--normalize", paramLabel = "HOW",
            description = "none, l2, or dreamsim (centre each vector, then l2). Default: none; for DreamSim's"
                    + " released models (dreamsim, dreamsim_*) what DreamSim does.")
    String normalize;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "auto (bf16 where the CPU has bf16 units), fp32 or bf16. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu or cuda. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Compute threads (0: one per core).")
    int threads;

    @Option(names = "--image-size", defaultValue = "0", paramLabel = "PX",
            description = "Input side in pixels (default: the model folder's, else 224).")
    int imageSize;

    @Option(names = "--preprocess", defaultValue = "dreamsim", paramLabel = "HOW",
            description = "dreamsim (resize to a square, no crop) or upstream (resize the shorter side, centre-crop). "
                    + "Default: ${DEFAULT-VALUE}.")
    String preprocess;

    @Option(names = "--activation", paramLabel = "ACT",
            description = "Override the MLP activation, gelu or quick_gelu (open_clip weights don't record it).")
    String activation;

    @Option(names = "--checkpoint-key", paramLabel = "KEY",
            description = "The entry of a PyTorch checkpoint that holds the weights (e.g. teacher or student in DINO's "
                    + "training checkpoints); without it, a single state_dict, model, module, teacher or student entry is used.")
    String checkpointKey;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Model cache (default: $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub).")
    Path cacheDir;

    @Option(names = "--offline", description = "Never touch the network (also: HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--dreamsim-cache", paramLabel = "DIR",
            description = "Folder of DreamSim's released checkpoints (default: $PERCEPT_DREAMSIM_CACHE, else "
                    + "~/.cache/percept/dreamsim; a DreamSim ./models folder works).")
    Path dreamsimCache;

    /** A request for {@code spec} with {@code adapters} (comma-separated, or null), a head (or null) and these settings. */
    ModelRequest request(String spec, String adapters, Path head) {
        return new ModelRequest(
                spec,
                features == null ? null : FeatureMode.parse(features),
                Precision.parse(precision),
                ComputeDevice.parse(device),
                imageSize,
                PreprocessMode.parse(preprocess),
                activation == null ? null : ModelRequest.parseActivation(activation),
                adapters == null ? List.of() : Arrays.stream(adapters.split(",")).map(a -> Path.of(a.strip())).toList(),
                checkpointKey,
                head);
    }

    ModelStore store() {
        HubSettings hub = hubSettings();
        return new ModelStore(hub, DreamSimSettings.fromEnvironment(hub).withCacheDir(dreamsimCache), KnownModels.DEFAULT);
    }

    FeatureNorm normalization() {
        return normalize == null ? FeatureNorm.NONE : FeatureNorm.parse(normalize);
    }

    HubSettings hubSettings() {
        HubSettings s = HubSettings.fromEnvironment();
        if (cacheDir != null) {
            s = s.withCacheDir(cacheDir);
        }
        return offline ? s.withOffline(true) : s;
    }
}
