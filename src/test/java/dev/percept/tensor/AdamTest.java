package dev.percept.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several Adam steps against the update computed by hand in double precision. Betas of (0.5,
 * 0.999) and gradients that change sign and size from step to step make every term visible: with
 * other betas, another bias correction or the weight decay left out, the weights differ by far
 * more than the tolerance (one step from zero moments could not tell: it moves each weight by lr
 * times the sign of its gradient whatever the betas).
 */
class AdamTest {
    private static final double LR = 0.1;
    private static final double BETA1 = 0.5;
    private static final double BETA2 = 0.999;
    private static final double DECAY = 0.05;
    private static final float[][] GRADIENTS = {
        {0.5f, -2.0f, 0.01f}, {-1.5f, 0.3f, 0.02f}, {2.0f, 1.0f, -0.5f}, {0.1f, -0.1f, 3.0f}, {-0.7f, 2.5f, -0.05f},
        {1.2f, -0.4f, 0.6f}
    };

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    @Test
    void sixStepsMatchAdamByHand() {
        float[] start = {1.0f, -0.5f, 0.25f};
        try (PointerScope scope = new PointerScope()) {
            Tensor p = Placement.CPU.parameter(Placement.CPU.floats(start, 3));
            Tensor untouched = Placement.CPU.parameter(Placement.CPU.floats(new float[] {7, 8}, 2));
            try (Adam adam = new Adam(new Parameters(List.of("p", "untouched"), List.of(p, untouched)), BETA1, BETA2, DECAY)) {
                for (float[] g : GRADIENTS) {
                    p.mul(Placement.CPU.floats(g, 3)).sum().backward(); // d/dp sum(p * g) = g
                    adam.step(LR);
                }
                assertEquals(GRADIENTS.length, adam.steps());
            }
            float[] actual = Tensors.toFloats(p);
            double[] expected = byHand(start);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], actual[i], 2e-6, "weight " + i);
            }
            assertArrayEquals(new float[] {7, 8}, Tensors.toFloats(untouched), "a parameter without a gradient is skipped");
        }
    }

    /** torch.optim.Adam's update, with L2 decay added to the gradient, in double precision. */
    private static double[] byHand(float[] start) {
        double[] p = new double[start.length];
        double[] m = new double[start.length];
        double[] v = new double[start.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = start[i];
        }
        for (int t = 1; t <= GRADIENTS.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = GRADIENTS[t - 1][i] + DECAY * p[i];
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                double mHat = m[i] / (1 - Math.pow(BETA1, t));
                double vHat = v[i] / (1 - Math.pow(BETA2, t));
                p[i] -= LR * mHat / (Math.sqrt(vHat) + Adam.EPS);
            }
        }
        return p;
    }
}
