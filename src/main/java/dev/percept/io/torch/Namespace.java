package dev.percept.io.torch;

import java.util.Map;

/**
 * An {@code argparse.Namespace} from a training checkpoint (DINO saves its {@code args}): an inert
 * bag of attributes, filled by the pickle's BUILD and never given any behaviour.
 */
public record Namespace(Map<String, Object> attributes) {
    @Override
    public String toString() {
        return "Namespace with " + attributes.size() + " attributes";
    }
}
