package dev.percept.tensor;

import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The operations the models compute with (layers, activations, attention, resampling, memory
 * scopes inside a forward), over the verbose JavaCPP mirror of libtorch. Every returned tensor
 * belongs to the innermost open {@code PointerScope}, if any.
 */
public final class Ops {
    private Ops() {}

    /** w += scale * (b @ a), in place: a low-rank update such as a LoRA merge. */
    public static void addProduct(Tensor w, Tensor b, Tensor a, double scale) {
        w.addmm_(b, a, new Scalar(1.0), new Scalar(scale));
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

    /** {@code x *= s}, in place (also under autograd: scaling needs nothing saved). */
    public static Tensor scaleInPlace(Tensor x, double s) {
        return x.mul_(new Scalar(s));
    }

    public static Tensor relu(Tensor x) {
        return torch.relu(x);
    }

    /** Inverted dropout (kept values scaled by 1 / (1 - p)); the identity when {@code p == 0}. */
    public static Tensor dropout(Tensor x, double p) {
        return p == 0 ? x : torch.dropout(x, p, true);
    }
}
