package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.embed.Member;
import dev.percept.embed.ModelRequest;
import dev.percept.embed.FeatureNorm;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.model.FeatureMode;
import dev.percept.model.MlpHead;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that runs a backbone shares. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "Model folder, known name (see `percept models`), or a comma-separated list (an ensemble).")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA adapter folder(s) merged into the weights (comma-separated: one per ensemble member).")
    String adapter;

    @Option(names = "--head", paramLabel = "DIR",
            description = "An MLP head trained by `percept align --train mlp_head`, applied to the model's feature.")
    Path head;

    @Option(names = "--features", paramLabel = "MODE",
            description = "cls, cls_normed, embedding, patch_mean, cls_patch or patch_tokens "
                    + "(default: embedding for CLIP/OpenCLIP, cls otherwise).")
    String features;

    @Option(names = "--normalize", defaultValue = "none", paramLabel = "HOW",
            description = "none, l2, or dreamsim (centre each vector, then l2). Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Model cache (default: $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub).")
    Path cacheDir;

    @Option(names = "--offline", description = "Never touch the network (also: HF_HUB_OFFLINE=1).")
    boolean offline;

    /** Starts the engine and loads the requested model(s). */
    List<Member> open() {
        Engine.start(threads);
        if (!preprocess.equals("dreamsim") && !preprocess.equals("upstream")) {
            throw new PerceptException("--preprocess must be dreamsim or upstream, not " + preprocess);
        }
        ModelRequest request = new ModelRequest(
                model,
                features == null ? null : FeatureMode.parse(features),
                Precision.parse(precision),
                ComputeDevice.parse(device),
                imageSize,
                preprocess.equals("upstream"),
                activation == null ? null : ModelRequest.parseActivation(activation),
                adapter == null ? List.of() : Arrays.stream(adapter.split(",")).map(a -> Path.of(a.strip())).toList());
        List<Member> members = request.open(store());
        if (head != null) {
            attachHead(members);
        }
        return members;
    }

    private void attachHead(List<Member> members) {
        try {
            if (members.size() != 1) {
                throw new PerceptException("--head applies to one model, not to an ensemble of " + members.size());
            }
            Member m = members.get(0);
            m.backbone().attachHead(MlpHead.read(head), m.features());
        } catch (RuntimeException e) {
            members.forEach(m -> m.backbone().close());
            throw e;
        }
    }

    ModelStore store() {
        return new ModelStore(hubSettings(), KnownModels.DEFAULT);
    }

    /** The models --model names (a known ensemble expanded), without loading them. */
    List<String> memberNames() {
        return ModelRequest.memberNames(model, KnownModels.DEFAULT);
    }

    FeatureNorm normalization() {
        return FeatureNorm.parse(normalize);
    }

    HubSettings hubSettings() {
        HubSettings s = HubSettings.fromEnvironment();
        if (cacheDir != null) {
            s = s.withCacheDir(cacheDir);
        }
        return offline ? s.withOffline(true) : s;
    }
}
