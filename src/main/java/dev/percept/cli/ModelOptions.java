package dev.percept.cli;

import dev.percept.embed.Member;
import dev.percept.embed.ModelRequest;
import dev.percept.tensor.Engine;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that runs a backbone shares. */
class ModelOptions extends ModelSettings {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "Model folder, known name (see `percept models`), or a comma-separated list (an ensemble).")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA adapter folder(s) merged into the weights (comma-separated: one per ensemble member).")
    String adapter;

    /** Starts the engine and loads the requested model(s). */
    List<Member> open() {
        Engine.start(threads);
        return request().open(store());
    }

    /** What --model, --adapter and the settings ask for, not yet loaded. */
    ModelRequest request() {
        return request(model, adapter);
    }
}
