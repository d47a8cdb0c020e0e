package dev.percept.io;

import dev.percept.PerceptException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One named tensor of a weights file as a view of raw little-endian storage bytes: dtype, shape,
 * strides and offset in elements. A safetensors tensor is the contiguous case; a PyTorch tensor
 * may be any strided view, and several may share one storage. The constructor proves that every
 * element the view can address lies inside {@code storage} (overflow-safe), so nothing sized from
 * the file is allocated before its bytes are known to exist.
 */
public record StoredTensor(Path file, String name, SafetensorsDtype dtype, long[] shape, long[] stride, long offset,
        ByteBuffer storage) {
    /** Beyond this, a shape is surely hostile; libtorch itself allows at most 64 dimensions. */
    private static final int MAX_DIMS = 64;

    public StoredTensor {
        shape = shape.clone();
        stride = stride.clone();
        storage = storage.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        checkExtent(file, name, dtype, shape, stride, offset, storage.remaining());
    }

    /** A contiguous tensor filling {@code bytes} exactly (a safetensors entry). */
    public static StoredTensor contiguous(Path file, String name, SafetensorsDtype dtype, long[] shape, ByteBuffer bytes) {
        return new StoredTensor(file, name, dtype, shape, contiguousStrides(shape), 0, bytes);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }

    public long elementCount() {
        return FloatArray.elementCount(shape);
    }

    /** True when the elements are the storage bytes from {@code offset} on, in row-major order. */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /**
     * The elements' bytes in row-major order, little-endian, positioned at 0: a view of the
     * storage when the tensor is contiguous, else a gathered copy.
     */
    public ByteBuffer contiguousBytes() {
        int size = dtype.elementSize();
        if (isContiguous()) {
            long start = offset * size;
            return storage.duplicate().position((int) start).limit((int) (start + elementCount() * size)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        long bytes = elementCount() * size;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new PerceptException("tensor " + name + " in " + file + " is a strided view of " + bytes
                    + " bytes, too large to copy");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[shape.length];
        long position = offset;
        for (long i = 0, n = elementCount(); i < n; i++) {
            out.put(storage.duplicate().position((int) (position * size)).limit((int) (position * size + size)));
            position = next(index, position);
        }
        return out.flip();
    }

    /** Advances an odometer over the shape and returns the next element's storage index. */
    private long next(long[] index, long position) {
        for (int d = shape.length - 1; d >= 0; d--) {
            position += stride[d];
            if (++index[d] < shape[d]) {
                return position;
            }
            position -= stride[d] * shape[d];
            index[d] = 0;
        }
        return position;
    }

    /** Fails naming the tensor unless its dtype is a floating-point weight type (F32, F16, BF16). */
    public void requireWeightDtype() {
        if (dtype != SafetensorsDtype.F32 && dtype != SafetensorsDtype.F16 && dtype != SafetensorsDtype.BF16) {
            throw new PerceptException("tensor " + name + " in " + file + " has dtype " + dtype
                    + "; weights must be F32, F16 or BF16");
        }
    }

    /** The values in row-major order as floats (any strides); only F32, F16 and BF16 convert. */
    public float[] toFloats() {
        requireWeightDtype();
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new PerceptException("tensor " + name + " in " + file + " has " + count + " elements, too many for one float array");
        }
        float[] out = new float[(int) count];
        ByteBuffer bytes = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = dtype.elementSize();
        long[] index = new long[shape.length];
        long position = offset;
        for (int i = 0; i < out.length; i++) {
            int at = (int) (position * size);
            out[i] = switch (dtype) {
                case F32 -> bytes.getFloat(at);
                case F16 -> HalfFloats.halfToFloat(bytes.getShort(at));
                default -> HalfFloats.bfloat16ToFloat(bytes.getShort(at));
            };
            position = next(index, position);
        }
        return out;
    }

    public FloatArray toFloatArray() {
        return new FloatArray(shape, toFloats());
    }

    public static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return stride;
    }

    private static void checkExtent(Path file, String name, SafetensorsDtype dtype, long[] shape, long[] stride, long offset,
            long storageBytes) {
        String where = "tensor " + name + " in " + file;
        if (shape.length != stride.length || shape.length > MAX_DIMS) {
            throw new PerceptException(where + " has size " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride)
                    + " (need equal lengths of at most " + MAX_DIMS + ")");
        }
        if (offset < 0) {
            throw new PerceptException(where + " has a negative storage offset " + offset);
        }
        try {
            long last = offset; // the highest element index the view addresses
            boolean empty = false;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || stride[i] < 0) {
                    throw new PerceptException(where + " has a negative size or stride: size " + Arrays.toString(shape)
                            + ", stride " + Arrays.toString(stride));
                }
                empty |= shape[i] == 0;
                if (shape[i] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            }
            Math.multiplyExact(FloatArray.elementCount(shape), (long) dtype.elementSize());
            long needed = empty ? 0 : Math.multiplyExact(Math.addExact(last, 1), (long) dtype.elementSize());
            if (needed > storageBytes) {
                throw new PerceptException(where + " (" + dtype + ", size " + Arrays.toString(shape) + ", stride "
                        + Arrays.toString(stride) + ", offset " + offset + ") needs " + needed
                        + " bytes of storage, but its storage holds " + storageBytes);
            }
        } catch (ArithmeticException e) {
            throw new PerceptException(where + " has a size, stride or offset that overflows: size " + Arrays.toString(shape)
                    + ", stride " + Arrays.toString(stride) + ", offset " + offset);
        }
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
