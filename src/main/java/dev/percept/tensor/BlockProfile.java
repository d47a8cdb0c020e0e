package dev.percept.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Where a transformer block's time goes: each operation of a pre-norm ViT block (plain GELU
 * MLP), replayed on its own at the model's shapes with the calls the forward makes, timed as the
 * best of a few runs. What the forward spends beyond the sum of these is allocation, first
 * touches of fresh memory and dispatch between the operations.
 */
public final class BlockProfile {
    private BlockProfile() {}

    /** One block's sizes: batch, tokens per image, width, heads, MLP width. */
    public record Dims(long batch, long tokens, long hidden, long heads, long mlpHidden) {
        long headDim() {
            return hidden / heads;
        }
    }

    /** Milliseconds per operation of one block, in forward order. */
    public static Map<String, Double> run(Dims d, Precision precision, int reps) {
        Map<String, Double> ms = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            var type = precision.scalarType();
            Placement where = Placement.CPU.withType(type);
            Tensor x = where.normal(0, 1, d.batch(), d.tokens(), d.hidden());
            Tensor gamma = where.ones(d.hidden());
            Tensor beta = where.zeros(d.hidden());
            Tensor wQkv = weight(3 * d.hidden(), d.hidden(), where);
            Tensor bQkv = where.zeros(3 * d.hidden());
            Tensor wProj = weight(d.hidden(), d.hidden(), where);
            Tensor bProj = where.zeros(d.hidden());
            Tensor wFc1 = weight(d.mlpHidden(), d.hidden(), where);
            Tensor bFc1 = where.zeros(d.mlpHidden());
            Tensor wFc2 = weight(d.hidden(), d.mlpHidden(), where);
            Tensor bFc2 = where.zeros(d.hidden());

            Tensor normed = Ops.layerNorm(x, gamma, beta, 1e-6);
            Tensor qkv = Ops.linear(normed, wQkv, bQkv);
            Tensor heads = qkv.view(d.batch(), d.tokens(), 3, d.heads(), d.headDim()).permute(2, 0, 3, 1, 4);
            Tensor q = heads.select(0, 0);
            Tensor k = heads.select(0, 1);
            Tensor v = heads.select(0, 2);
            Scalar scale = new Scalar(1.0 / Math.sqrt(d.headDim()));
            Tensor scores = torch.matmul(q.mul(scale), k.transpose(-2, -1));
            Tensor weights = torch.softmax(scores, -1);
            Tensor attended = torch.matmul(weights, v);
            Tensor merged = attended.transpose(1, 2).reshape(d.batch(), d.tokens(), d.hidden());
            Tensor hidden = Ops.linear(normed, wFc1, bFc1);

            time(ms, "layernorm (x2)", 2, reps, () -> Ops.layerNorm(x, gamma, beta, 1e-6));
            time(ms, "qkv linear", 1, reps, () -> Ops.linear(normed, wQkv, bQkv));
            time(ms, "attention q k^T", 1, reps, () -> torch.matmul(q.mul(scale), k.transpose(-2, -1)));
            time(ms, "attention softmax", 1, reps, () -> torch.softmax(scores, -1));
            time(ms, "attention x v", 1, reps, () -> torch.matmul(weights, v));
            time(ms, "heads merge (copy)", 1, reps, () -> attended.transpose(1, 2).reshape(d.batch(), d.tokens(), d.hidden()));
            time(ms, "proj linear", 1, reps, () -> Ops.linear(merged, wProj, bProj));
            time(ms, "fc1 linear", 1, reps, () -> Ops.linear(normed, wFc1, bFc1));
            time(ms, "gelu (in place)", 1, reps, () -> Ops.gelu(hidden));
            time(ms, "fc2 linear", 1, reps, () -> Ops.linear(hidden, wFc2, bFc2));
            time(ms, "residual adds (x2)", 2, reps, () -> x.add_(merged));
        }
        return ms;
    }

    private static Tensor weight(long out, long in, Placement where) {
        return where.normal(0, 1 / Math.sqrt(in), out, in);
    }

    /** Best of {@code reps} runs after one warm-up, times {@code count} uses per block. */
    private static void time(Map<String, Double> into, String name, int count, int reps, Supplier<Tensor> op) {
        List<Double> runs = new ArrayList<>();
        for (int r = 0; r <= reps; r++) {
            try (PointerScope run = new PointerScope()) {
                long start = System.nanoTime();
                op.get();
                runs.add((System.nanoTime() - start) / 1e6);
            }
        }
        into.put(name, count * runs.subList(1, runs.size()).stream().mapToDouble(Double::doubleValue).min().orElseThrow());
    }
}
