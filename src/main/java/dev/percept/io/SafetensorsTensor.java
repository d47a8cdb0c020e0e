package dev.percept.io;

import dev.percept.PerceptException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its dtype, shape and raw little-endian bytes (a read-only
 * view of the memory-mapped file).
 */
public record SafetensorsTensor(Path file, String name, SafetensorsDtype dtype, long[] shape, ByteBuffer data) {
    private static final int CHUNK = 1 << 16;

    public SafetensorsTensor {
        shape = shape.clone();
        data = data.asReadOnlyBuffer();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A fresh little-endian view of the bytes, positioned at 0. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return FloatArray.elementCount(shape);
    }

    /** The values as floats; only F32, F16 and BF16 tensors convert. */
    public float[] toFloats() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new PerceptException(file + ": tensor '" + name + "' has " + count + " elements, too many for one float array");
        }
        float[] out = new float[(int) count];
        ByteBuffer bytes = data();
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F16 -> convertShorts(bytes.asShortBuffer(), out, true);
            case BF16 -> convertShorts(bytes.asShortBuffer(), out, false);
            default -> throw new PerceptException(file + ": tensor '" + name + "' has dtype " + dtype
                    + "; only F32, F16 and BF16 tensors convert to float");
        }
        return out;
    }

    public FloatArray toFloatArray() {
        return new FloatArray(shape, toFloats());
    }

    private static void convertShorts(ShortBuffer source, float[] out, boolean half) {
        short[] chunk = new short[Math.min(CHUNK, out.length)];
        for (int start = 0; start < out.length; start += chunk.length) {
            int n = Math.min(chunk.length, out.length - start);
            source.get(chunk, 0, n);
            if (half) {
                for (int i = 0; i < n; i++) {
                    out[start + i] = HalfFloats.halfToFloat(chunk[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[start + i] = HalfFloats.bfloat16ToFloat(chunk[i]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
