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

    private NightsWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        int total = size.nightsTrain() + size.nightsVal() + size.nightsTest();
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int id = 0; id < total; id++) {
            String split = id < size.nightsTrain() ? "train" : id < size.nightsTrain() + size.nightsVal() ? "val" : "test";
            SplittableRandom rng = Seeds.of(seed, "nights", id);
            NightsTriplet t = NightsTriplet.draw(rng, sampler);
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
            progress.advance(3);
        }
        TextFile.write(dir.resolve("data.csv"), csv);
        return total;
    }
}
