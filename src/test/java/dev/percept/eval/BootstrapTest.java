package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Intervals and paired differences recomputed from per-item statistics. */
class BootstrapTest {
    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    @Test
    void aConstantMetricHasADegenerateInterval() {
        Bootstrap.Interval i = Bootstrap.interval(Metric.mean("m", true, column(2, 2, 2, 2), 0), 200, 1);
        assertEquals(2, i.mean());
        assertEquals(2, i.low());
        assertEquals(2, i.high());
    }

    @Test
    void pairedDifferenceOfAModelBetterOnEveryItemByOneIsOneAndSignificant() {
        SplittableRandom r = new SplittableRandom(3);
        double[] b = new double[50];
        double[] a = new double[50];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextDouble() * 10;
            a[i] = b[i] - 1;
        }
        Bootstrap.Difference d = Bootstrap.paired(Metric.mean("mae", false, column(a), 0),
                Metric.mean("mae", false, column(b), 0), 1000, 7);
        assertEquals(-1, d.diff(), 1e-9);
        assertEquals(-1, d.low(), 1e-9); // pairing removes the spread between items
        assertEquals(-1, d.high(), 1e-9);
        assertEquals(2.0 / 1001, d.p(), 1e-12);
        assertTrue(d.significant());
    }

    @Test
    void identicalModelsDifferByNothing() {
        double[][] rows = column(1, 5, 2, 8, 3);
        Bootstrap.Difference d = Bootstrap.paired(Metric.mean("x", true, rows, 0), Metric.mean("x", true, rows, 0), 500, 2);
        assertEquals(0, d.diff());
        assertEquals(1, d.p());
        assertFalse(d.significant());
    }

    @Test
    void theIntervalOfANonlinearMetricIsRecomputedPerResample() {
        // RMSE of errors {0, 0, 0, 4}: sqrt(16 / 4) = 2; a resample with the 4 drawn k times of 4 gives 2 sqrt(k).
        Metric rmse = new Metric("rmse", false, column(0, 0, 0, 16), (sums, n) -> Math.sqrt(sums[0] / n));
        Bootstrap.Interval i = Bootstrap.interval(rmse, 1000, 5);
        assertEquals(2, i.mean(), 1e-12);
        assertEquals(0, i.low(), 1e-12);
        assertEquals(2 * Math.sqrt(3), i.high(), 1e-12);
    }
}
