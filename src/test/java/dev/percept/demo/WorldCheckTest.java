package dev.percept.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The judges' ceiling and the probes' R^2, on hand-made NIGHTS-like rows. */
class WorldCheckTest {
    @TempDir
    Path dir;

    private static final String DATA = "id,ref_path,left_path,right_path,left_vote,right_vote,votes,prompt,split,is_imagenet\n";
    private static final String JUDGES = "id,split,left_distance,left_count,left_layout,left_colour,left_pose,left_shape,"
            + "left_light,right_distance,right_count,right_layout,right_colour,right_pose,right_shape,right_light\n";

    private void row(StringBuilder data, StringBuilder judges, int id, String split, double leftVote, double left, double right) {
        data.append(id).append(",ref/").append(id).append(".png,distort/").append(id).append("_0.png,distort/").append(id)
                .append("_1.png,").append(leftVote).append(',').append(1 - leftVote).append(",7,\"a cube\",").append(split)
                .append(",True\n");
        judges.append(id).append(',').append(split).append(',').append(left).append(",1,0,0,0,0,0,").append(right)
                .append(",0,1,0,0,0,0\n");
    }

    @Test
    void theCeilingIsHowOftenTheNoiseFreeJudgePicksTheMajoritysVariantTiesLeftOut() throws IOException {
        StringBuilder data = new StringBuilder(DATA);
        StringBuilder judges = new StringBuilder(JUDGES);
        row(data, judges, 0, "test", 6 / 7.0, 0.2, 0.9); // judge: left, majority: left
        row(data, judges, 1, "test", 1 / 7.0, 0.2, 0.9); // judge: left, majority: right
        row(data, judges, 2, "test", 0.0, 0.8, 0.3); // judge: right, majority: right
        row(data, judges, 3, "test", 1.0, 0.5, 0.5); // the judge ties: left out
        row(data, judges, 4, "val", 1.0, 0.1, 0.5);
        Files.writeString(dir.resolve("data.csv"), data);
        Files.writeString(dir.resolve("judges.csv"), judges);
        WorldCheck.Ceiling test = WorldCheck.ceiling(dir, "test");
        assertEquals(4, test.triplets());
        assertEquals(2 / 3.0, test.agreement(), 1e-12);
        assertEquals(1.0, WorldCheck.ceiling(dir, "val").agreement());
    }

    @Test
    void aJudgesFileThatDoesNotMatchTheTripletsIsRefusedByName() throws IOException {
        StringBuilder data = new StringBuilder(DATA);
        StringBuilder judges = new StringBuilder(JUDGES);
        row(data, judges, 0, "test", 1.0, 0.2, 0.9);
        row(data, judges, 1, "test", 1.0, 0.2, 0.9);
        Files.writeString(dir.resolve("data.csv"), data);
        Files.writeString(dir.resolve("judges.csv"), JUDGES + judges.toString().lines().skip(1).findFirst().orElseThrow() + "\n");
        String e = assertThrows(PerceptException.class, () -> WorldCheck.ceiling(dir, "test")).getMessage();
        assertTrue(e.contains("judges.csv") && e.contains("1 rows") && e.contains("data.csv has 2"), e);
    }

    @Test
    void rSquaredIsOneForAPerfectFitAndZeroForTheMean() {
        double[] y = {1, 2, 3, 4};
        assertEquals(1, WorldCheck.rSquared(y, y), 1e-12);
        assertEquals(0, WorldCheck.rSquared(new double[] {2.5, 2.5, 2.5, 2.5}, y), 1e-12);
        assertEquals(1 - 4 / 5.0, WorldCheck.rSquared(new double[] {2, 1, 4, 3}, y), 1e-12);
    }

    @Test
    void theSummaryFitsTheTerminal() {
        String s = WorldCheck.describe(new WorldCheck.Ceiling("val", 500, 0.961), new WorldCheck.Ceiling("test", 1000, 0.958),
                List.of(new WorldCheck.Probe("count", 0.12), new WorldCheck.Probe("layout", 0.03), new WorldCheck.Probe("colour", 0.2),
                        new WorldCheck.Probe("pose", 0.02), new WorldCheck.Probe("shape", 0.15), new WorldCheck.Probe("light", 0.05)));
        assertTrue(s.lines().allMatch(l -> l.length() <= 100), s);
        assertTrue(s.contains("test 0.958 (1000 triplets)") && s.contains("colour 0.20"), s);
    }
}
