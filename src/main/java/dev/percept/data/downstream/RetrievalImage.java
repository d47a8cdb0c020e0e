package dev.percept.data.downstream;

import java.nio.file.Path;
import java.util.Set;

/** An image with the identities of the items it shows (instance retrieval). */
public record RetrievalImage(Path image, Set<String> items) {
    public RetrievalImage {
        items = Set.copyOf(items);
    }
}
