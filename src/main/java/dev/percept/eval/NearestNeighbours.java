package dev.percept.eval;

import dev.percept.tensor.Ops;
import dev.percept.tensor.ProbeOps;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Exact cosine nearest neighbours: queries and references L2-normalised, similarities as one
 * matrix product per batch of queries, the k largest through torch.topk.
 */
public final class NearestNeighbours {
    private static final int QUERY_BATCH = 1024;

    private NearestNeighbours() {}

    /** Per query, the k nearest reference indices (nearest first) and their cosine similarities. */
    public record Result(int[][] indices, float[][] similarities) {}

    /** {@code queries} [M, D] against {@code references} [N, D]; k is capped at N. */
    public static Result search(Tensor queries, Tensor references, int k) {
        int m = (int) queries.size(0);
        int kk = (int) Math.min(k, references.size(0));
        int[][] indices = new int[m][];
        float[][] sims = new float[m][];
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            Tensor refs = Ops.normalizeRows(references);
            for (int start = 0; start < m; start += QUERY_BATCH) {
                int b = Math.min(QUERY_BATCH, m - start);
                try (PointerScope batch = new PointerScope()) {
                    Tensor q = Ops.normalizeRows(queries.narrow(0, start, b));
                    ProbeOps.TopK top = ProbeOps.topk(ProbeOps.matmulT(q, refs), kk);
                    int[] idx = ProbeOps.toInts(top.indices());
                    float[] val = Ops.toFloats(top.values());
                    for (int i = 0; i < b; i++) {
                        indices[start + i] = java.util.Arrays.copyOfRange(idx, i * kk, (i + 1) * kk);
                        sims[start + i] = java.util.Arrays.copyOfRange(val, i * kk, (i + 1) * kk);
                    }
                }
            }
        }
        return new Result(indices, sims);
    }
}
