package dev.percept.synth;

import dev.percept.Seeds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Stronger BAPPS-like distortions move the image further from the reference. */
class DistortionsTest {
    @Test
    void everyDistortionGrowsWithItsStrength() {
        SceneSampler sampler = new SceneSampler(Size.SMALL);
        int[] ref = sampler.scene(Seeds.of(3, "distortion-test", 0), SceneSampler.Style.OUTDOOR, 4,
                () -> Category.CUBE).rendering().rgb();
        for (Distortions kind : Distortions.values()) {
            double weak = difference(ref, kind.apply(ref, 64, 0.1, Seeds.of(3, kind.label(), 1)));
            double strong = difference(ref, kind.apply(ref, 64, 0.9, Seeds.of(3, kind.label(), 1)));
            assertTrue(weak > 0 && strong > 1.5 * weak, kind + ": mean difference " + weak + " at 0.1, " + strong + " at 0.9");
        }
    }

    private static double difference(int[] a, int[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
            }
        }
        return sum / (3.0 * a.length);
    }
}
