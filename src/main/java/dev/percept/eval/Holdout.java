package dev.percept.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A validation split carved out of the training items when a dataset has none. */
public record Holdout(int[] train, int[] val) {
    public static final double FRACTION = 0.2;

    /** A seeded random {@link #FRACTION} of {@code n} items for validation (at least one), the rest for training. */
    public static Holdout of(int n, long seed) {
        if (n < 2) {
            throw new dev.percept.PerceptException("need at least 2 training items to hold out a validation split, got " + n);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int nVal = Math.max(1, (int) Math.round(n * FRACTION));
        int[] val = order.subList(0, nVal).stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] train = order.subList(nVal, n).stream().mapToInt(Integer::intValue).sorted().toArray();
        return new Holdout(train, val);
    }
}
