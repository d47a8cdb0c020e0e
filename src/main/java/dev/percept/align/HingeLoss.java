package dev.percept.align;

import dev.percept.data.Triplet;
import dev.percept.tensor.Ops;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * DreamSim's 2AFC objective. With d0 = 1 - cos(ref, left), d1 = 1 - cos(ref, right) and y = +1
 * when most judges chose the right image (else -1), the loss is mean(max(0, margin - (d0 - d1) y)):
 * zero once the model prefers the judges' choice by at least the margin.
 */
final class HingeLoss {
    private HingeLoss() {}

    /**
     * @param features [3n, D]: the n references, then the n left and the n right images
     * @param targets y per triplet
     */
    static Tensor of(Tensor features, float[] targets, double margin) {
        int n = targets.length;
        Tensor ref = features.narrow(0, 0, n);
        Tensor d0 = Ops.cosineDistance(ref, features.narrow(0, n, n));
        Tensor d1 = Ops.cosineDistance(ref, features.narrow(0, 2 * n, n));
        return Ops.hinge(d0.sub(d1), Ops.floats(targets, n), margin);
    }

    /**
     * The loss of one batch, back-propagated scaled by {@code weight} (the batch's share of an
     * optimizer step) unless it is not finite; returns its value.
     */
    static double backward(Tensor features, float[] targets, double margin, double weight) {
        try (PointerScope scope = new PointerScope()) {
            Tensor loss = of(features, targets, margin);
            double value = Ops.scalar(loss);
            if (Double.isFinite(value)) {
                Ops.backward(Ops.scaleInPlace(loss, weight));
            }
            return value;
        }
    }

    /** y per triplet: +1 when most judges chose the right image, else -1. */
    static float[] targets(List<Triplet> batch) {
        float[] targets = new float[batch.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = batch.get(i).target();
        }
        return targets;
    }

    /** Each triplet's loss on distances already computed (validation), in double precision: rows of one value. */
    static double[][] perTriplet(double[][] distances, int[] targets, double margin) {
        double[][] rows = new double[targets.length][];
        for (int i = 0; i < targets.length; i++) {
            rows[i] = new double[] {Math.max(0, margin - (distances[i][0] - distances[i][1]) * targets[i])};
        }
        return rows;
    }
}
