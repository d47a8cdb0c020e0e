package dev.percept.io.torch;

import dev.percept.io.SafetensorsDtype;

/**
 * A tensor as the pickle describes it ({@code _rebuild_tensor_v2/v3}): a view of a storage with
 * an element offset, a size and a stride. Nothing is checked against bytes until it becomes a
 * {@link dev.percept.io.StoredTensor}.
 */
record TensorRef(StorageRef storage, SafetensorsDtype dtype, long offset, long[] size, long[] stride) {
}
