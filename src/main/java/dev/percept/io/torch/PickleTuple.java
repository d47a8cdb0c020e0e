package dev.percept.io.torch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Python tuple from a pickle (lists are {@code ArrayList}s, dicts {@code LinkedHashMap}s). */
public record PickleTuple(List<Object> items) {
    public PickleTuple {
        items = Collections.unmodifiableList(new ArrayList<>(items)); // List.copyOf would refuse None (null)
    }

    public int size() {
        return items.size();
    }

    public Object get(int i) {
        return items.get(i);
    }

    // Records print and hash their contents recursively; a hostile pickle can nest tuples deeply.
    @Override
    public String toString() {
        return "tuple of " + items.size();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
