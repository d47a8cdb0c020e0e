package dev.percept.io;

import java.util.Arrays;

/**
 * An array read from a {@code .npy} file: its numpy dtype ({@code <f4}, {@code <f8}, {@code <i8},
 * {@code <i4} or {@code |u1}), its shape and its values as doubles in C order. Integers above
 * 2^53 lose precision.
 */
public record NpyArray(String dtype, long[] shape, double[] data) {
    public NpyArray {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NpyArray o && dtype.equals(o.dtype) && Arrays.equals(shape, o.shape) && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray " + dtype + Arrays.toString(shape);
    }
}
