package dev.percept.tensor;

import dev.percept.io.MappedFloats;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The tensor operations the downstream probes use (nearest neighbours, logistic and ridge
 * regression, dense heads), kept here so the probes read as math, not as JavaCPP wrappers.
 */
public final class ProbeOps {
    private static final long CHUNK_ROWS_BYTES = 1L << 30;

    private ProbeOps() {}

    /** A whole memory-mapped float32 file as one CPU tensor of its shape, copied in chunks. */
    public static Tensor load(MappedFloats m) {
        return load(m, CHUNK_ROWS_BYTES);
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
    public static Tensor rows(MappedFloats m, int[] indices) {
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

    /**
     * Per-channel mean and standard deviation (population, floored) over every position of a
     * mapped [N, ..., D] file, accumulated in float64 a chunk of rows at a time; each [D].
     */
    public static Tensor[] channelMoments(MappedFloats m, int chunkRows) {
        long[] shape = m.shape();
        long d = shape[shape.length - 1];
        Tensor sum = torch.zeros(new long[] {d}, new TensorOptions(ScalarType.Double));
        Tensor squares = torch.zeros(new long[] {d}, new TensorOptions(ScalarType.Double));
        long count = 0;
        for (long first = 0; first < m.rows(); first += chunkRows) {
            int len = (int) Math.min(chunkRows, m.rows() - first);
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) {
                idx[i] = (int) first + i;
            }
            try (org.bytedeco.javacpp.PointerScope chunk = new org.bytedeco.javacpp.PointerScope()) {
                Tensor x = rows(m, idx).reshape(-1, d).to(ScalarType.Double);
                sum.add_(x.sum(0));
                squares.add_(x.mul(x).sum(0));
                count += x.size(0);
            }
        }
        Tensor mean = sum.div(new Scalar((double) count));
        Tensor var = squares.div(new Scalar((double) count)).sub(mean.mul(mean)).clamp_min(new Scalar(0.0));
        return new Tensor[] {mean.to(ScalarType.Float), var.sqrt().clamp_min(new Scalar(1e-6)).to(ScalarType.Float)};
    }

    /** An int64 tensor of {@code values}. */
    public static Tensor longs(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        Tensor t = torch.empty(new long[] {l.length}, new TensorOptions(ScalarType.Long), new MemoryFormatOptional());
        new LongPointer(t.data_ptr()).put(l);
        return t;
    }

    /** The values of an integer tensor as Java ints. */
    public static int[] toInts(Tensor t) {
        Tensor l = t.to(ScalarType.Long).contiguous();
        long[] out = new long[(int) l.numel()];
        new LongPointer(l.data_ptr()).get(out);
        int[] ints = new int[out.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) out[i];
        }
        return ints;
    }

    /** An integer-valued float tensor as int64 (class ids). */
    public static Tensor asLongs(Tensor t) {
        return t.to(ScalarType.Long);
    }

    /** A float32 leaf tensor of zeros that records gradients (a probe's weights). */
    public static Tensor parameter(long... shape) {
        return Ops.zeros(shape).requires_grad_(true);
    }

    /** Top-k values and their indices along the last dimension, largest first. */
    public record TopK(Tensor values, Tensor indices) {}

    public static TopK topk(Tensor x, long k) {
        T_TensorTensor_T r = torch.topk(x, k, -1, true, true);
        return new TopK(r.get0(), r.get1());
    }

    /**
     * x @ w + b over the last dimension, w stored [in, out]. (torch.linear's [out, in] layout
     * measured about 10x slower in backward here: the weight gradient becomes a transposed GEMM.)
     */
    public static Tensor affine(Tensor x, Tensor w, Tensor b) {
        return x.matmul(w).add(b);
    }

    /** x @ y^T. */
    public static Tensor matmulT(Tensor x, Tensor y) {
        return x.mm(y.t());
    }

    /** Column means and standard deviations (population, floored) of a [N, D] tensor, as [1, D] each. */
    public static Tensor[] columnMoments(Tensor rows) {
        Tensor mean = rows.mean(new long[] {0}, true, new ScalarTypeOptional());
        Tensor centred = rows.sub(mean);
        Tensor std = centred.mul(centred).mean(new long[] {0}, true, new ScalarTypeOptional()).sqrt().clamp_min(new Scalar(1e-6));
        return new Tensor[] {mean, std};
    }

    /** (x - mean) / std with broadcasting. */
    public static Tensor standardize(Tensor x, Tensor mean, Tensor std) {
        return x.sub(mean).div(std);
    }

    /** Mean cross-entropy of logits [N, C, ...] against class ids [N, ...], ignoring {@code ignoreIndex}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, long ignoreIndex) {
        return torch.cross_entropy_loss(logits, target, new TensorOptional(), 1 /* mean */, ignoreIndex, 0.0);
    }

    /** Mean of (a - b)^2 where {@code mask} (0/1 floats) is 1; zero when the mask is empty. */
    public static Tensor maskedMse(Tensor a, Tensor b, Tensor mask) {
        Tensor d = a.sub(b);
        return d.mul(d).mul(mask).sum().div(mask.sum().clamp_min(new Scalar(1.0)));
    }

    /** Bilinear resampling of [N, C, H, W] to h x w (align_corners false, as in DINOv2's heads). */
    public static Tensor upsampleBilinear(Tensor x, long h, long w) {
        return torch.upsample_bilinear2d(x, new long[] {h, w}, false);
    }

    /** Indices of the maximum along {@code dim}. */
    public static Tensor argmax(Tensor x, long dim) {
        return x.argmax(new LongOptional(dim), false);
    }

    /** Share of rows of logits [N, C] whose argmax equals the class id in {@code target} [N]. */
    public static double accuracy(Tensor logits, Tensor target) {
        return argmax(logits, 1).eq(target).to(ScalarType.Float).mean().item_double();
    }

    /** Solves a x = b for square a. */
    public static Tensor solve(Tensor a, Tensor b) {
        return torch.linalg_solve(a, b);
    }

    public static Tensor eye(long n) {
        return torch.eye(n, new TensorOptions(ScalarType.Float));
    }

    public static Tensor scale(Tensor x, double s) {
        return x.mul(new Scalar(s));
    }

    public static Tensor addScalar(Tensor x, double s) {
        return x.add(new Scalar(s));
    }

    /** A detached copy (keeps a probe's best weights while training goes on). */
    public static Tensor snapshot(Tensor t) {
        return t.detach().clone(new MemoryFormatOptional());
    }
}
