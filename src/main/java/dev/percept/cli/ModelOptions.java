package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.embed.FeatureNorm;
import dev.percept.embed.Member;
import dev.percept.embed.ModelRequest;
import dev.percept.hub.KnownModels;
import dev.percept.model.MlpHead;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that runs a backbone shares. */
class ModelOptions extends ModelSettings {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "Model folder, weights file (.safetensors, .pth, .pth.tar, .pt, .bin, *.index.json), known name "
                    + "(see `percept models`), or a comma-separated list (an ensemble).")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA adapter folder(s) merged into the weights (comma-separated: one per ensemble member; "
                    + "an ensemble's run folder adapter/ holds one per member).")
    String adapter;

    @Option(names = "--head", paramLabel = "DIR",
            description = "An MLP head trained by `percept align --train mlp_head`, applied to the model's feature.")
    Path head;

    /** Starts the engine and loads the requested model(s), with the MLP head if one was given. */
    List<Member> open() {
        Engine.start(threads);
        List<Member> members = request().open(store());
        if (head != null) {
            attachHead(members);
        }
        return members;
    }

    /** What --model, --adapter and the settings ask for, not yet loaded. */
    ModelRequest request() {
        return request(model, adapter);
    }

    /** --normalize, else the model's own: DreamSim's released models normalise as DreamSim does. */
    @Override
    FeatureNorm normalization() {
        return normalize == null ? ModelRequest.defaultNorm(model, KnownModels.DEFAULT) : super.normalization();
    }

    /** The models --model names (a known ensemble expanded), without loading them. */
    List<String> memberNames() {
        return ModelRequest.memberNames(model, KnownModels.DEFAULT);
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
}
