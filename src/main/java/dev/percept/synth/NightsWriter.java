package dev.percept.synth;

import dev.percept.Seeds;
import dev.percept.console.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The NIGHTS-like set in NIGHTS' layout: {@code ref/<xxx>/<yyy>.png}, {@code
 * distort/<xxx>/<yyy>_0.png} (left) and {@code _1.png} (right), and {@code data.csv}.
 */
final class NightsWriter {
    static final String HEADER = "id,ref_path,left_path,right_path,left_vote,right_vote,votes,prompt,split,is_imagenet";

    /** The judges' noise-free side of every triplet (not part of NIGHTS): distances and attribute changes. */
    static final String JUDGES = "judges.csv";
    static final String JUDGES_HEADER = "id,split,left_distance,left_count,left_layout,left_colour,left_pose,"
            + "left_shape,left_light,right_distance,right_count,right_layout,right_colour,right_pose,right_shape,right_light";

    private NightsWriter() {}

    /**
     * Draws candidate triplets in order and keeps those the judges agree on (at most one dissent,
     * {@link NightsTriplet#agreed}), as NIGHTS keeps only its strong-agreement triplets, until each
     * split holds its share; returns the triplets kept.
     */
    static int write(Path dir, long seed, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size, NightsTriplet.NEAREST, NightsTriplet.FARTHEST);
        int total = size.nightsTrain() + size.nightsVal() + size.nightsTest();
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        StringBuilder judges = new StringBuilder(JUDGES_HEADER).append('\n');
        int id = 0;
        int trainVal = size.nightsTrain() + size.nightsVal();
        for (long candidate = 0, testCandidate = 0; id < total; ) {
            // The test split draws from its own stream: it stays put when train or val change size.
            NightsTriplet t = id < trainVal
                    ? NightsTriplet.draw(Seeds.of(seed, "nights", candidate++), sampler)
                    : NightsTriplet.draw(Seeds.of(seed, "nights/test", testCandidate++), sampler);
            if (!t.agreed()) {
                continue;
            }
            String split = id < size.nightsTrain() ? "train" : id < trainVal ? "val" : "test";
            String stem = String.format(Locale.ROOT, "%03d/%03d", id / 1000, id % 1000);
            String ref = "ref/" + stem + ".png";
            String left = "distort/" + stem + "_0.png";
            String right = "distort/" + stem + "_1.png";
            ImageFormats.png(dir.resolve(ref), t.ref().rendering().rgb(), size.imageSize());
            ImageFormats.png(dir.resolve(left), t.left().rendering().rgb(), size.imageSize());
            ImageFormats.png(dir.resolve(right), t.right().rendering().rgb(), size.imageSize());
            double leftVote = t.leftVotes() / (double) t.judges();
            csv.append(id).append(',').append(ref).append(',').append(left).append(',').append(right).append(',')
                    .append(leftVote).append(',').append(1 - leftVote).append(',').append(t.judges()).append(",\"")
                    .append(SceneSampler.describe(t.ref().scene(), t.style())).append("\",").append(split).append(',')
                    .append(t.style() == SceneSampler.Style.STUDIO ? "True" : "False").append('\n');
            judges.append(id).append(',').append(split);
            for (MidLevelJudge.Change c : new MidLevelJudge.Change[] {t.leftChange(), t.rightChange()}) {
                judges.append(',').append(MidLevelJudge.distance(c));
                for (double v : c.values()) {
                    judges.append(',').append(v);
                }
            }
            judges.append('\n');
            progress.advance(3);
            id++;
        }
        TextFile.write(dir.resolve("data.csv"), csv);
        TextFile.write(dir.resolve(JUDGES), judges);
        return total;
    }
}
