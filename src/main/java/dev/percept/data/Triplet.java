package dev.percept.data;

import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One two-alternative forced-choice judgment: which of {@code left} and {@code right} is closer to
 * {@code ref}.
 *
 * @param rightVote the fraction of judges who chose {@code right} as the closer image, in [0, 1]
 * @param subset a group for per-subset scores (NIGHTS: "imagenet" or "other"; BAPPS: its subset)
 * @param origin where the judgment came from, for error messages (file and row)
 */
public record Triplet(Path ref, Path left, Path right, double rightVote, String subset, String origin) {
    public Triplet {
        if (!(rightVote >= 0 && rightVote <= 1)) {
            throw new PerceptException(origin + ": vote fraction " + rightVote + " is outside [0, 1]");
        }
    }

    /** The hinge loss target: +1 when most judges chose the right image, else -1. */
    public int target() {
        return Math.round(rightVote) == 1 ? 1 : -1;
    }

    /** Every image the triplets show, once each, sorted: what an evaluation or a frozen-feature trainer embeds. */
    public static List<Path> distinctImages(List<Triplet> triplets) {
        return List.copyOf(new TreeSet<>(triplets.stream().flatMap(t -> Stream.of(t.ref(), t.left(), t.right())).toList()));
    }
}
