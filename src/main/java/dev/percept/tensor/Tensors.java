package dev.percept.tensor;

import dev.percept.io.FloatArray;
import dev.percept.io.MappedFloats;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

/**
 * Tensors made from Java data and copied back out: arrays, raw bytes, memory-mapped files, seeded
 * draws. Every returned tensor belongs to the innermost open {@code PointerScope}, if any.
 */
public final class Tensors {
    private static final long LOAD_CHUNK_BYTES = 1L << 30;

    private Tensors() {}

    /** A new CPU float32 tensor holding a copy of {@code data}. */
    public static Tensor floats(float[] data, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(ScalarType.Float), new MemoryFormatOptional());
        t.data_ptr_float().put(data);
        return t;
    }

    /** A new CPU tensor of {@code type} holding a copy of little-endian raw bytes. */
    public static Tensor fromBytes(ByteBuffer bytes, ScalarType type, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(type), new MemoryFormatOptional());
        long n = bytes.remaining();
        if (t.nbytes() != n) {
            throw new IllegalArgumentException("byte count " + n + " does not fill a " + type + " tensor of " + t.nbytes());
        }
        try (BytePointer src = new BytePointer(bytes.slice())) {
            Pointer.memcpy(t.data_ptr(), src, n);
        }
        return t;
    }

    /** A whole memory-mapped float32 file as one CPU tensor of its shape, copied in chunks. */
    static Tensor load(MappedFloats m) {
        return load(m, LOAD_CHUNK_BYTES);
    }

    static Tensor load(MappedFloats m, long chunkBytes) {
        Tensor t = torch.empty(m.shape(), new TensorOptions(ScalarType.Float), new MemoryFormatOptional());
        long rowBytes = 4 * m.rowElements();
        long perChunk = Math.max(1, chunkBytes / Math.max(1, rowBytes));
        for (long first = 0; first < m.rows(); first += perChunk) {
            long count = Math.min(perChunk, m.rows() - first);
            ByteBuffer bytes = m.rows(first, count);
            try (BytePointer src = new BytePointer(bytes)) {
                Pointer.memcpy(t.data_ptr().position(first * rowBytes), src, count * rowBytes);
            }
        }
        return t;
    }

    /** The rows at {@code indices} of a memory-mapped float32 file, as one tensor [len, ...]. */
    static Tensor rows(MappedFloats m, int[] indices) {
        long[] shape = m.shape();
        shape[0] = indices.length;
        Tensor t = torch.empty(shape, new TensorOptions(ScalarType.Float), new MemoryFormatOptional());
        long rowBytes = 4 * m.rowElements();
        for (int k = 0; k < indices.length; k++) {
            try (BytePointer src = new BytePointer(m.rows(indices[k], 1))) {
                Pointer.memcpy(t.data_ptr().position(k * rowBytes), src, rowBytes);
            }
        }
        return t;
    }

    /** An int64 tensor of {@code values}. */
    static Tensor longs(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        Tensor t = torch.empty(new long[] {l.length}, new TensorOptions(ScalarType.Long), new MemoryFormatOptional());
        new LongPointer(t.data_ptr()).put(l);
        return t;
    }

    /** Seeds libtorch's default generator (random weights, dropout). */
    public static void seed(long seed) {
        torch.manual_seed(seed);
    }

    /** A new CPU float32 tensor of N(mean, std^2) draws from the default generator. */
    public static Tensor normal(double mean, double std, long... shape) {
        return torch.randn(shape).mul_(new Scalar(std)).add_(new Scalar(mean));
    }

    /** A new CPU float32 tensor of zeros. */
    public static Tensor zeros(long... shape) {
        return torch.zeros(shape, new TensorOptions(ScalarType.Float));
    }

    /** A new CPU float32 tensor of ones. */
    public static Tensor ones(long... shape) {
        return torch.ones(shape, new TensorOptions(ScalarType.Float));
    }

    /** A new CPU float32 tensor of U(low, high) draws from the default generator. */
    public static Tensor uniform(double low, double high, long... shape) {
        return zeros(shape).uniform_(low, high, new GeneratorOptional());
    }

    /** A float32 leaf tensor that records gradients: a trainable parameter. */
    public static Tensor parameter(Tensor values) {
        return values.detach().to(ScalarType.Float).contiguous().requires_grad_(true);
    }

    /** The tensor as a contiguous float32 tensor on the CPU (itself if it already is one). */
    public static Tensor cpuFloats(Tensor t) {
        return t.to(new Device("cpu"), ScalarType.Float).contiguous();
    }

    /** A tensor's shape and values (outside autograd), as written to safetensors files. */
    public static FloatArray floatArray(Tensor t) {
        return new FloatArray(shape(t), toFloats(t.detach()));
    }

    /** The values of a tensor as a Java array (copied to CPU float32 first if needed). */
    public static float[] toFloats(Tensor t) {
        Tensor f = cpuFloats(t);
        float[] out = new float[(int) f.numel()];
        f.data_ptr_float().get(out);
        return out;
    }

    /** The values of an integer tensor as Java ints. */
    static int[] toInts(Tensor t) {
        Tensor l = t.to(ScalarType.Long).contiguous();
        long[] out = new long[(int) l.numel()];
        new LongPointer(l.data_ptr()).get(out);
        int[] ints = new int[out.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) out[i];
        }
        return ints;
    }

    public static double scalar(Tensor t) {
        return t.to(new Device("cpu"), ScalarType.Double).item_double();
    }

    /** Overwrites a float32 tensor's values (a parameter's too: outside autograd). */
    public static void copyInto(Tensor target, float[] values) {
        if (target.numel() != values.length) {
            throw new IllegalArgumentException(values.length + " values for a tensor of " + target.numel());
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            target.copy_(floats(values, shape(target)));
        }
    }

    public static long[] shape(Tensor t) {
        long[] shape = new long[(int) t.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.size(i);
        }
        return shape;
    }
}
