package dev.percept.tensor;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * Native objects that must live across batches and steps (weights, optimizer moments, a trained
 * probe): each holds a reference of its own here, so no memory scope that is open while it is
 * made or used can free it, and all go together when the owner closes. The one place where the
 * project keeps native memory beyond a scope.
 */
public final class NativeOwner implements AutoCloseable {
    private final List<Pointer> kept = new ArrayList<>();

    /** Keeps {@code p} until {@link #close}; returns it. */
    public <P extends Pointer> P keep(P p) {
        p.retainReference();
        kept.add(p);
        return p;
    }

    @Override
    public void close() {
        kept.forEach(Pointer::releaseReference);
        kept.clear();
    }
}
