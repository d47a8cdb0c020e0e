package dev.percept.tensor;

import dev.percept.io.MappedFloats;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Per-feature standardisation with training moments (population std, floored at 1e-6), as the probes use it. */
final class Standardize {
    private static final double FLOOR = 1e-6;

    private Standardize() {}

    /** Column means and standard deviations of a [N, D] tensor, as [1, D] each. */
    static Tensor[] columnMoments(Tensor rows) {
        Tensor mean = rows.mean(new long[] {0}, true, new ScalarTypeOptional());
        Tensor centred = rows.sub(mean);
        Tensor std = centred.mul(centred).mean(new long[] {0}, true, new ScalarTypeOptional()).sqrt().clamp_min(new Scalar(FLOOR));
        return new Tensor[] {mean, std};
    }

    /**
     * Per-channel mean and standard deviation over every position of a mapped [N, ..., D] file,
     * accumulated in float64 a chunk of rows at a time; each [D].
     */
    static Tensor[] channelMoments(MappedFloats m, int chunkRows) {
        long[] shape = m.shape();
        long d = shape[shape.length - 1];
        Placement sums = Placement.CPU.withType(ScalarType.Double);
        Tensor sum = sums.zeros(d);
        Tensor squares = sums.zeros(d);
        long count = 0;
        for (long first = 0; first < m.rows(); first += chunkRows) {
            int len = (int) Math.min(chunkRows, m.rows() - first);
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) {
                idx[i] = (int) first + i;
            }
            try (PointerScope chunk = new PointerScope()) {
                Tensor x = Placement.CPU.rows(m, idx).reshape(-1, d).to(ScalarType.Double);
                sum.add_(x.sum(0));
                squares.add_(x.mul(x).sum(0));
                count += x.size(0);
            }
        }
        Tensor mean = sum.div(new Scalar((double) count));
        Tensor var = squares.div(new Scalar((double) count)).sub(mean.mul(mean)).clamp_min(new Scalar(0.0));
        return new Tensor[] {mean.to(ScalarType.Float), var.sqrt().clamp_min(new Scalar(FLOOR)).to(ScalarType.Float)};
    }

    /** (x - mean) / std with broadcasting. */
    static Tensor apply(Tensor x, Tensor mean, Tensor std) {
        return x.sub(mean).div(std);
    }
}
