package dev.percept.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The items a probe is fitted on and those it picks its settings on: the dataset's validation
 * split, or, when it has none or an empty one, a seeded {@link Holdout} of the training items.
 * Choosing on items lists, before any feature is read, keeps the one rule in one place.
 */
record FitSplit<T>(List<T> train, List<T> val, boolean heldOut) {
    static <T> FitSplit<T> of(List<T> train, List<T> val, long seed) {
        if (val != null && !val.isEmpty()) {
            return new FitSplit<>(train, val, false);
        }
        Holdout h = Holdout.of(train.size(), seed);
        return new FitSplit<>(pick(train, h.train()), pick(train, h.val()), true);
    }

    /** Records where the validation items came from, and how many each part has. */
    void describe(Map<String, Object> details) {
        if (heldOut) {
            details.put("validation", "held out of train");
        }
        details.put("train", train.size());
        details.put("val", val.size());
    }

    private static <T> List<T> pick(List<T> items, int[] indices) {
        return Arrays.stream(indices).mapToObj(items::get).toList();
    }
}
