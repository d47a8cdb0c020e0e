package dev.percept.synth;

import dev.percept.PerceptException;
import dev.percept.data.Csv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The NIGHTS-like set read back with what only a synthetic world knows: for each triplet of
 * {@code data.csv}, the judges' noise-free distances and how much each judged attribute changed
 * ({@code judges.csv}, written beside it). The demo uses it for the judges' ceiling and the
 * per-attribute probes.
 */
public final class NightsJudgments {
    /** The judged attributes, in the order of {@link Judgment#leftChange} and {@link Judgment#rightChange}. */
    public static final List<String> ATTRIBUTES = MidLevelJudge.Change.ATTRIBUTES;

    /**
     * One triplet: its images, the share of judges who chose the left variant, the noise-free
     * distances and the attribute changes of each variant.
     */
    public record Judgment(int id, String split, Path ref, Path left, Path right, double leftVote, double leftDistance,
            double rightDistance, double[] leftChange, double[] rightChange) {
        /** Whether the noise-free judge picks the same variant as most judges did (null on a tie either way). */
        public Boolean judgeMatchesMajority() {
            if (leftVote == 0.5 || leftDistance == rightDistance) {
                return null;
            }
            return (leftDistance < rightDistance) == (leftVote > 0.5);
        }
    }

    private NightsJudgments() {}

    /** Every triplet of {@code split} (null: all) in the NIGHTS-like folder {@code nights}. */
    public static List<Judgment> read(Path nights, String split) {
        Csv data = Csv.read(nights.resolve("data.csv"));
        Csv judges = Csv.read(nights.resolve(NightsWriter.JUDGES));
        data.require("id", "ref_path", "left_path", "right_path", "left_vote", "split");
        judges.require("id", "left_distance", "right_distance");
        if (data.size() != judges.size()) {
            throw new PerceptException(nights.resolve(NightsWriter.JUDGES) + ": " + judges.size() + " rows, but data.csv has "
                    + data.size());
        }
        List<Judgment> out = new ArrayList<>();
        for (int row = 0; row < data.size(); row++) {
            if (split != null && !split.equals(data.get(row, "split"))) {
                continue;
            }
            if (!data.get(row, "id").equals(judges.get(row, "id"))) {
                throw new PerceptException(judges.where(row) + ": id " + judges.get(row, "id") + " where data.csv has "
                        + data.get(row, "id"));
            }
            out.add(new Judgment((int) data.number(row, "id"), data.get(row, "split"), nights.resolve(data.get(row, "ref_path")),
                    nights.resolve(data.get(row, "left_path")), nights.resolve(data.get(row, "right_path")),
                    data.number(row, "left_vote"), judges.number(row, "left_distance"), judges.number(row, "right_distance"),
                    change(judges, row, "left_"), change(judges, row, "right_")));
        }
        return out;
    }

    private static double[] change(Csv judges, int row, String side) {
        double[] c = new double[ATTRIBUTES.size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = judges.number(row, side + ATTRIBUTES.get(k));
        }
        return c;
    }
}
