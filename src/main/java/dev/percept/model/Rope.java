package dev.percept.model;

import dev.percept.tensor.Ops;
import dev.percept.tensor.Placement;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * DINOv3's 2D rotary position embedding for one patch grid: the sines and cosines [gh * gw,
 * head width] that rotate the patch tokens' queries and keys (class and register tokens are left
 * as they are). Coordinates are the patch centres scaled to [-1, 1] separately per axis, so any
 * grid, square or not, works without resampling anything.
 */
record Rope(Tensor sin, Tensor cos) {

    /** Periods theta^(2j / (head / 2)) for j < head / 4, as DINOv3 computes them from its base. */
    static float[] periods(double theta, int headDim) {
        float[] p = new float[headDim / 4];
        for (int j = 0; j < p.length; j++) {
            p[j] = (float) Math.pow(theta, 2.0 * j / (headDim / 2));
        }
        return p;
    }

    /**
     * The table for a gh x gw grid, on {@code where} (float32). Per patch the angles are laid out
     * [y angles | x angles], each 2 pi coordinate / period, and the whole row is repeated twice to
     * match the rotate-half pairing of channel c with c + head / 2.
     */
    static Rope forGrid(float[] periods, long gh, long gw, Placement where) {
        int quarter = periods.length;
        int width = 4 * quarter;
        float[] sin = new float[(int) (gh * gw) * width];
        float[] cos = new float[sin.length];
        for (int i = 0; i < gh; i++) {
            double y = 2 * ((i + 0.5) / gh) - 1;
            for (int j = 0; j < gw; j++) {
                double x = 2 * ((j + 0.5) / gw) - 1;
                int row = (int) (i * gw + j) * width;
                for (int f = 0; f < quarter; f++) {
                    double ay = 2 * Math.PI * y / periods[f];
                    double ax = 2 * Math.PI * x / periods[f];
                    for (int copy = 0; copy < 2; copy++) {
                        int at = row + copy * 2 * quarter;
                        sin[at + f] = (float) Math.sin(ay);
                        cos[at + f] = (float) Math.cos(ay);
                        sin[at + quarter + f] = (float) Math.sin(ax);
                        cos[at + quarter + f] = (float) Math.cos(ax);
                    }
                }
            }
        }
        long[] shape = {gh * gw, width};
        return new Rope(where.floats(sin, shape), where.floats(cos, shape));
    }

    /**
     * x cos + rotate_half(x) sin on the trailing patch tokens of x [B, heads, T, head], in
     * float32, returned in x's precision; rotate_half(x) = [-x2, x1] for the halves x1, x2.
     */
    Tensor apply(Tensor x) {
        long patches = sin.size(0);
        long prefix = x.size(2) - patches;
        long half = x.size(3) / 2;
        Tensor p = x.narrow(2, prefix, patches).to(ScalarType.Float);
        Tensor rotated = Ops.cat(3, p.narrow(3, half, half).neg(), p.narrow(3, 0, half));
        Tensor turned = p.mul(cos).add_(rotated.mul_(sin));
        return Ops.cat(2, x.narrow(2, 0, prefix), turned.to(x.scalar_type()));
    }
}
