package dev.percept.tensor;

import org.bytedeco.pytorch.Tensor;

/**
 * A model's forward on one batch, run by a training-step kernel inside the memory scope it owns:
 * features [N, D] float32, recording gradients for whatever is trainable.
 */
@FunctionalInterface
public interface Forward {
    Tensor features();

    /**
     * After the loss's backward: back-propagates through what {@link #features} ran without
     * recording (activation checkpointing); nothing otherwise.
     */
    default void backwardDeferred() {}
}
