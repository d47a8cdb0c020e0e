package dev.percept.tensor;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * GFLOP/s of plain matrix products on this machine's CPU, measured now: the ceiling that a
 * model's speed is read against. Each product is timed the way a linear layer computes it,
 * x [rows, in] times a weight [out, in] transposed.
 */
public final class MatmulRate {
    private MatmulRate() {}

    /** One product: rows x in times in x out. */
    public record Shape(long rows, long in, long out) {
        public double flops() {
            return 2.0 * rows * in * out;
        }
    }

    /** The square product n x n x n. */
    public static Shape square(long n) {
        return new Shape(n, n, n);
    }

    /**
     * The shapes taken as one workload: their FLOPs over the sum of each one's best time in
     * {@code reps} runs after a warm-up (best, because other work on the machine only slows a
     * run), in GFLOP/s.
     */
    public static double gflops(List<Shape> shapes, Precision precision, int reps) {
        double flops = 0;
        double seconds = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Shape s : shapes) {
                Placement where = Placement.CPU.withType(precision.scalarType());
                Tensor x = where.normal(0, 1, s.rows(), s.in());
                Tensor w = where.normal(0, 1, s.out(), s.in());
                double best = Double.MAX_VALUE;
                for (int r = 0; r <= reps; r++) {
                    try (PointerScope run = new PointerScope()) {
                        long start = System.nanoTime();
                        torch.linear(x, w);
                        double t = (System.nanoTime() - start) / 1e9;
                        best = r == 0 ? best : Math.min(best, t);
                    }
                }
                flops += s.flops();
                seconds += best;
            }
        }
        return flops / seconds / 1e9;
    }
}
