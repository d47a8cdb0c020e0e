package dev.percept.align;

import dev.percept.data.Triplet;
import java.util.List;

/**
 * DreamSim's 2AFC objective. With d0 = 1 - cos(ref, left), d1 = 1 - cos(ref, right) and y = +1
 * when most judges chose the right image (else -1), the loss is mean(max(0, margin - (d0 - d1) y)):
 * zero once the model prefers the judges' choice by at least the margin. The training step's
 * forward and backward is the tensor kernel {@link dev.percept.tensor.HingeStep}.
 */
final class HingeLoss {
    private HingeLoss() {}

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
