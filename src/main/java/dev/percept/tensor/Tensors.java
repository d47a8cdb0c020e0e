package dev.percept.tensor;

import dev.percept.io.FloatArray;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

/**
 * Tensors copied back out to Java (values, shapes, scalars) and the seed of libtorch's generator;
 * {@link Placement} makes them. Every returned tensor belongs to the innermost open {@code
 * PointerScope}, if any.
 */
public final class Tensors {
    private Tensors() {}

    /** Seeds libtorch's default generator (random weights, dropout). */
    public static void seed(long seed) {
        torch.manual_seed(seed);
    }

    /** The tensor as a contiguous float32 tensor on the CPU (itself if it already is one). */
    public static Tensor cpuFloats(Tensor t) {
        return Placement.CPU.move(t).contiguous();
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
        return Placement.CPU.withType(ScalarType.Double).move(t).item_double();
    }

    /** Overwrites a float32 tensor's values (a parameter's too: outside autograd). */
    public static void copyInto(Tensor target, float[] values) {
        if (target.numel() != values.length) {
            throw new IllegalArgumentException(values.length + " values for a tensor of " + target.numel());
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            target.copy_(Placement.of(target).floats(values, shape(target)));
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
