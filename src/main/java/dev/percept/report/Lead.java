package dev.percept.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report opens with, above provenance: the findings in a few sentences, then example
 * judgments as pictures.
 *
 * @param findings one line per task, already worded (with its numbers and interval)
 * @param examples triplets with the judges' choice and each model's
 */
public record Lead(String heading, List<Finding> findings, List<Example> examples) {
    public Lead {
        findings = List.copyOf(findings);
        examples = List.copyOf(examples);
    }

    /** How a result sits with the paper's: the same direction, the opposite, or no clear change. */
    public enum Verdict {
        AS_IN_PAPER, OPPOSITE, UNCLEAR
    }

    public record Finding(String task, String text, Verdict verdict) {}

    /**
     * One 2AFC triplet: which variant the judges found closer ({@code true}: left), and each
     * model's pick, in the order to show.
     */
    public record Example(Path ref, Path left, Path right, double leftVote, Map<String, Boolean> picksLeft) {
        public Example {
            picksLeft = new LinkedHashMap<>(picksLeft);
        }

        public boolean judgesLeft() {
            return leftVote > 0.5;
        }
    }
}
