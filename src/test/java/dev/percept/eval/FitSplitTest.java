package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one rule for the items a probe picks its settings on. */
class FitSplitTest {
    private static final List<Integer> TRAIN = IntStream.range(0, 10).boxed().toList();

    @Test
    void aValidationSplitIsUsedAsItIs() {
        FitSplit<Integer> f = FitSplit.of(TRAIN, List.of(100, 101), 7);
        assertEquals(TRAIN, f.train());
        assertEquals(List.of(100, 101), f.val());
        assertFalse(f.heldOut());
        Map<String, Object> details = new LinkedHashMap<>();
        f.describe(details);
        assertEquals(Map.of("train", 10, "val", 2), details);
    }

    @Test
    void noValidationSplitAndAnEmptyOneBothHoldOutTheSameSeededFifthOfTrain() {
        FitSplit<Integer> none = FitSplit.of(TRAIN, null, 7);
        FitSplit<Integer> empty = FitSplit.of(TRAIN, List.of(), 7);
        assertEquals(none, empty);
        assertTrue(none.heldOut());
        assertEquals(2, none.val().size());
        assertEquals(8, none.train().size());
        HashSet<Integer> all = new HashSet<>(none.train());
        all.addAll(none.val());
        assertEquals(new HashSet<>(TRAIN), all);
        assertEquals(Holdout.of(10, 7).val()[0], none.val().get(0));
        Map<String, Object> details = new LinkedHashMap<>();
        none.describe(details);
        assertEquals("held out of train", details.get("validation"));
    }
}
