package dev.percept.tensor;

import java.util.Random;

/** The order of training rows in each epoch: 0..n-1 reshuffled (Fisher-Yates) from a seeded generator. */
final class EpochOrder {
    private final int[] order;
    private final Random random;

    EpochOrder(int n, long seed) {
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.random = new Random(seed);
    }

    /** Reshuffles for the next epoch and returns the order (the same array each time). */
    int[] next() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
