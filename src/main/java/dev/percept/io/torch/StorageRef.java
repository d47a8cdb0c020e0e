package dev.percept.io.torch;

import dev.percept.io.SafetensorsDtype;

/**
 * A storage named by a pickle's persistent id {@code ('storage', class, key, location, numel)}:
 * its key in the file and its element type ({@code null} for an untyped storage, whose numel
 * counts bytes). The bytes are found later, by key, once the whole pickle is read.
 */
record StorageRef(String key, SafetensorsDtype dtype, long numel) {
    long declaredBytes() {
        return Math.multiplyExact(numel, dtype == null ? 1L : dtype.elementSize());
    }
}
