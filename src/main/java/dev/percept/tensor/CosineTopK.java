package dev.percept.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Exact cosine nearest neighbours: queries and keys L2-normalised, similarities as one matrix
 * product per block of query rows (bounding the [rows, keys] matrix held at once), the k largest
 * through torch.topk, nearest first.
 */
public final class CosineTopK {
    /** Query rows per similarity block. */
    private static final int BLOCK = 1024;

    private CosineTopK() {}

    /** Query {@code q}'s neighbours are {@code indices[q * k .. q * k + k)}, nearest first. */
    public record Neighbours(int k, int[] indices, float[] similarities) {
        public int queries() {
            return indices.length / Math.max(1, k);
        }

        /** The key row of query {@code q}'s {@code j}-th nearest neighbour. */
        public int index(int q, int j) {
            return indices[q * k + j];
        }

        public float similarity(int q, int j) {
            return similarities[q * k + j];
        }

        /** Per query, its neighbours' key rows, nearest first. */
        public int[][] indexRows() {
            int[][] out = new int[queries()][];
            for (int q = 0; q < out.length; q++) {
                out[q] = java.util.Arrays.copyOfRange(indices, q * k, (q + 1) * k);
            }
            return out;
        }
    }

    /** Each row of {@code queries} against the rows of {@code keys}; k is capped at the number of keys. */
    public static Neighbours search(FeatureMatrix queries, FeatureMatrix keys, int k) {
        return search(queries.tensor(), keys.tensor(), k);
    }

    /** {@code queries} [n, dim] against {@code keys} [m, dim], both row-major; k is capped at m. */
    public static Neighbours search(float[] queries, float[] keys, int dim, int k) {
        try (PointerScope scope = new PointerScope()) {
            return search(Placement.CPU.floats(queries, queries.length / dim, dim), Placement.CPU.floats(keys, keys.length / dim, dim), k);
        }
    }

    private static Neighbours search(Tensor queries, Tensor keys, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        int n = (int) queries.size(0);
        int kk = (int) Math.min(k, keys.size(0));
        int[] indices = new int[n * kk];
        float[] similarities = new float[n * kk];
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor unitKeys = Ops.normalizeRows(keys).t();
            for (int start = 0; start < n; start += BLOCK) {
                int rows = Math.min(BLOCK, n - start);
                try (PointerScope block = new PointerScope()) {
                    Tensor q = Ops.normalizeRows(queries.narrow(0, start, rows));
                    T_TensorTensor_T top = q.mm(unitKeys).topk(kk, 1, true, true);
                    top.get0().contiguous().data_ptr_float().get(similarities, start * kk, rows * kk);
                    top.get1().to(ScalarType.Int).contiguous().data_ptr_int().get(indices, start * kk, rows * kk);
                }
            }
        }
        return new Neighbours(kk, indices, similarities);
    }
}
