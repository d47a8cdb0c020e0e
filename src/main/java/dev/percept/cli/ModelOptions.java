package dev.percept.cli;

import dev.percept.model.FeatureNorm;
import dev.percept.embed.ModelRequest;
import dev.percept.hub.KnownModels;
import dev.percept.model.Member;
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
        return request().open(store());
    }

    /** What --model, --adapter, --head and the settings ask for, not yet loaded. */
    ModelRequest request() {
        return request(model, adapter, head);
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
}
