package dev.percept.tensor;

import dev.percept.io.FloatArray;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The few tensor operations the models use, over the verbose JavaCPP mirror of libtorch. Every
 * returned tensor belongs to the innermost open {@code PointerScope}, if any.
 */
public final class Ops {
    private Ops() {}

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

    /** Seeds libtorch's default generator (random weights, dropout). */
    public static void seed(long seed) {
        torch.manual_seed(seed);
    }

    /** A new CPU float32 tensor of N(mean, std^2) draws from the default generator. */
    public static Tensor normal(double mean, double std, long... shape) {
        return torch.randn(shape).mul_(new Scalar(std)).add_(new Scalar(mean));
    }

    /** w += scale * (b @ a), in place: a low-rank update such as a LoRA merge. */
    public static void addProduct(Tensor w, Tensor b, Tensor a, double scale) {
        w.addmm_(b, a, new Scalar(1.0), new Scalar(scale));
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
        FloatPointer p = f.data_ptr_float();
        p.get(out);
        return out;
    }

    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
    }

    /** Each row of a [N, D] tensor minus its own mean. */
    public static Tensor centerRows(Tensor rows) {
        return rows.sub(rows.mean(new long[] {1}, true, new ScalarTypeOptional()));
    }

    /** Each row of a [N, D] tensor scaled to unit L2 norm (zero rows stay zero). */
    public static Tensor normalizeRows(Tensor rows) {
        Tensor norms = rows.norm(new ScalarOptional(new Scalar(2.0)), new long[] {1}, true);
        return rows.div(norms.clamp_min(new Scalar(1e-12)));
    }

    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        return torch.layer_norm(
                x, new long[] {x.size(-1)}, new TensorOptional(weight), new TensorOptional(bias), eps, false);
    }

    /** Exact (erf) GELU; overwrites {@code x} when no gradient is being recorded. */
    public static Tensor gelu(Tensor x) {
        return GradMode.is_enabled() ? torch.gelu(x) : torch.gelu_(x);
    }

    /**
     * OpenAI CLIP's approximation x * sigmoid(1.702 x); overwrites {@code x} when no gradient is
     * being recorded.
     */
    public static Tensor quickGelu(Tensor x) {
        Tensor gate = torch.sigmoid(x.mul(new Scalar(1.702)));
        return GradMode.is_enabled() ? x.mul(gate) : x.mul_(gate);
    }

    /** SiLU, x * sigmoid(x) (SwiGLU's gate); overwrites {@code x} when no gradient is being recorded. */
    public static Tensor silu(Tensor x) {
        return GradMode.is_enabled() ? torch.silu(x) : torch.silu_(x);
    }

    /**
     * softmax(q k^T / sqrt(d)) v over [B, heads, T, d] tensors. On CPU, plain matmul and softmax:
     * libtorch's fused CPU kernel measured slower in float32 and about 15x slower in bf16 (see
     * BENCHMARKS.md); elsewhere the fused kernel.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v) {
        if (q.is_cuda()) {
            return torch.scaled_dot_product_attention(q, k, v);
        }
        Tensor scores = torch.matmul(q.mul(new Scalar(1.0 / Math.sqrt(q.size(-1)))), k.transpose(-2, -1));
        return torch.matmul(torch.softmax(scores, -1), v);
    }

    /** Non-overlapping patch projection: a convolution with kernel = stride = patch. */
    public static Tensor patchify(Tensor pixels, Tensor weight, Tensor bias, long patch) {
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias);
        return torch.conv2d(pixels, weight, b, new long[] {patch, patch}, new long[] {0, 0}, new long[] {1, 1}, 1);
    }

    /**
     * Bicubic resampling of a [N, C, H, W] tensor (align_corners false, no antialias) to
     * {@code h x w}. With {@code scaleH}/{@code scaleW} given (not NaN), source coordinates use
     * 1/scale as PyTorch does for {@code interpolate(scale_factor=...)}; otherwise in/out sizes.
     */
    public static Tensor resizeBicubic(Tensor x, long h, long w, double scaleH, double scaleW) {
        DoubleOptional sh = Double.isNaN(scaleH) ? new DoubleOptional() : new DoubleOptional(scaleH);
        DoubleOptional sw = Double.isNaN(scaleW) ? new DoubleOptional() : new DoubleOptional(scaleW);
        return torch.upsample_bicubic2d(x, new long[] {h, w}, false, sh, sw);
    }

    /**
     * Runs {@code body} in a nested memory scope: every tensor it creates is freed on return except
     * its result, which joins the caller's scope. Without this, a forward pass would hold every
     * intermediate of every block until the batch ends.
     */
    public static Tensor scoped(Supplier<Tensor> body) {
        PointerScope outer = PointerScope.getInnerScope();
        if (outer == null) {
            throw new IllegalStateException("open a PointerScope around tensor work (one per batch or step)");
        }
        try (PointerScope inner = new PointerScope()) {
            Tensor result = body.get();
            outer.attach(result);
            return result;
        }
    }

    /**
     * Drops a tensor handle of the innermost scope now rather than at the end of the scope. The
     * storage itself goes only when nothing else (a view, the autograd graph) still refers to it.
     */
    public static void release(Tensor t) {
        PointerScope.getInnerScope().detach(t);
    }

    public static Tensor cat(long dim, Tensor... parts) {
        return torch.cat(new TensorVector(parts), dim);
    }

    // ---- training ----

    /** {@code x *= s}, in place (also under autograd: scaling needs nothing saved). */
    public static Tensor scaleInPlace(Tensor x, double s) {
        return x.mul_(new Scalar(s));
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

    public static Tensor relu(Tensor x) {
        return torch.relu(x);
    }

    /** Inverted dropout (kept values scaled by 1 / (1 - p)); the identity when {@code p == 0}. */
    public static Tensor dropout(Tensor x, double p) {
        return p == 0 ? x : torch.dropout(x, p, true);
    }

    /** 1 - cos between matching rows of two [N, D] tensors: [N]. */
    public static Tensor cosineDistance(Tensor a, Tensor b) {
        return torch.cosine_similarity(a, b, 1, 1e-8).neg().add_(new Scalar(1.0));
    }

    /** mean(max(0, margin - logit * target)): the hinge loss on 2AFC logits. */
    public static Tensor hinge(Tensor logit, Tensor target, double margin) {
        return torch.relu(logit.mul(target).neg().add_(new Scalar(margin))).mean();
    }

    public static double scalar(Tensor t) {
        return t.to(new Device("cpu"), ScalarType.Double).item_double();
    }

    /**
     * One Adam step (torch.optim.Adam's update, L2 weight decay added to the gradient) on {@code
     * param} in place, with its moment estimates {@code m} and {@code v}. {@code step} counts from 1.
     */
    public static void adamStep(Tensor param, Tensor m, Tensor v, double lr, double beta1, double beta2,
            double eps, double weightDecay, long step) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor g = param.grad();
            if (!g.defined()) {
                return; // the loss does not depend on it (torch.optim skips such parameters too)
            }
            if (weightDecay != 0) {
                g = g.add(param, new Scalar(weightDecay));
            }
            m.mul_(new Scalar(beta1)).add_(g, new Scalar(1 - beta1));
            v.mul_(new Scalar(beta2)).addcmul_(g, g, new Scalar(1 - beta2));
            double correction1 = 1 - Math.pow(beta1, step);
            double correction2 = 1 - Math.pow(beta2, step);
            Tensor denom = v.sqrt().div_(new Scalar(Math.sqrt(correction2))).add_(new Scalar(eps));
            param.addcdiv_(m, denom, new Scalar(-lr / correction1));
        }
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

    /** Back-propagates a scalar loss into the gradients of the parameters it depends on. */
    public static void backward(Tensor loss) {
        loss.backward();
    }

    /** Clears the gradient a parameter has accumulated. */
    public static void zeroGrad(Tensor param) {
        Tensor g = param.grad();
        if (g.defined()) {
            g.zero_();
        }
    }

    /** Row {@code q}'s neighbours are {@code indices[q * k .. q * k + k)}, nearest first. */
    public record TopK(int k, int[] indices, float[] similarities) {}

    /** Query rows per similarity block: bounds the [rows, keys] matrix held at once. */
    private static final int TOPK_BLOCK = 1024;

    /**
     * For each of the {@code n} rows of {@code queries} ([n, dim], row-major), the {@code k} rows of
     * {@code keys} ([m, dim]) with the highest cosine similarity, nearest first (one matmul and one
     * topk per block of query rows).
     */
    public static TopK cosineTopK(float[] queries, float[] keys, int dim, int k) {
        int n = queries.length / dim;
        int m = keys.length / dim;
        if (k <= 0 || k > m) {
            throw new IllegalArgumentException("k = " + k + " outside 1.." + m);
        }
        int[] indices = new int[n * k];
        float[] similarities = new float[n * k];
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            Tensor unitKeys = normalizeRows(floats(keys, m, dim));
            for (int start = 0; start < n; start += TOPK_BLOCK) {
                int rows = Math.min(TOPK_BLOCK, n - start);
                try (PointerScope block = new PointerScope()) {
                    Tensor q = normalizeRows(floats(Arrays.copyOfRange(queries, start * dim, (start + rows) * dim), rows, dim));
                    T_TensorTensor_T top = linear(q, unitKeys, null).topk(k, 1, true, true);
                    top.get0().contiguous().data_ptr_float().get(similarities, start * k, rows * k);
                    top.get1().to(ScalarType.Int).contiguous().data_ptr_int().get(indices, start * k, rows * k);
                }
            }
        }
        return new TopK(k, indices, similarities);
    }
}
