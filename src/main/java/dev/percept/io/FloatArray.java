package dev.percept.io;

import java.util.Arrays;

/** A float32 array of any shape, stored flat in C (row-major) order. */
public record FloatArray(long[] shape, float[] data) {
    public FloatArray {
        shape = shape.clone();
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + count + " values, data has " + data.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The product of the dimensions; 1 for a scalar (empty shape). */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FloatArray o && Arrays.equals(shape, o.shape) && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatArray" + Arrays.toString(shape);
    }
}
