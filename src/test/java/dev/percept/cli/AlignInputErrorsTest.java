package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.align.AlignFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad training data stops `percept align` with one line naming the problem, before any training. */
class AlignInputErrorsTest {
    @TempDir
    Path dir;

    private Cli align(Path data) {
        return Cli.run("align", "--model", AlignFixtures.MODEL, "--data", data.toString(), "--out",
                dir.resolve("run").toString(), "--epochs", "1");
    }

    private void assertRefused(Cli r, String... fragments) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("run/config.json")), "nothing was started");
        assertFalse(Files.exists(dir.resolve("run/checkpoint.safetensors")));
    }

    private Path images() throws IOException {
        AlignFixtures.colourTriplets(dir.resolve("d"), 4, 0, 3);
        return dir.resolve("d");
    }

    @Test
    void aMissingImageIsNamedWithItsRow() throws IOException {
        Path d = images();
        Files.writeString(d.resolve("t.csv"), "ref,left,right,p\nimg/0.png,img/1.png,img/2.png,1\nimg/0.png,img/404.png,img/2.png,0\n");
        assertRefused(align(d.resolve("t.csv")), "1 image(s) missing", "img/404.png", "t.csv, line 3");
    }

    @Test
    void aHeaderWithoutTheNeededColumnsIsNamed() throws IOException {
        Path d = images();
        Files.writeString(d.resolve("t.csv"), "reference,left,right,p\nimg/0.png,img/1.png,img/2.png,1\n");
        assertRefused(align(d.resolve("t.csv")), "t.csv", "ref");
    }

    @Test
    void aVoteOutsideZeroToOneIsNamedWithItsRow() throws IOException {
        Path d = images();
        Files.writeString(d.resolve("t.csv"), "ref,left,right,p\nimg/0.png,img/1.png,img/2.png,1.5\n");
        assertRefused(align(d.resolve("t.csv")), "t.csv, line 2", "1.5", "outside [0, 1]");
    }

    @Test
    void anEmptyNightsSplitIsNamed() throws IOException {
        Path d = images();
        Files.writeString(d.resolve("data.csv"), "id,ref_path,left_path,right_path,left_vote,right_vote,votes,split\n"
                + "0,img/0.png,img/1.png,img/2.png,0.2,0.8,7,test\n");
        assertRefused(align(d), "data.csv", "no rows in split 'train'");
    }

    @Test
    void anUnreadableBappsJudgmentIsNamed() throws IOException {
        Path subset = dir.resolve("bapps/blur");
        for (String f : new String[] {"ref", "p0", "p1", "judge"}) {
            Files.createDirectories(subset.resolve(f));
        }
        Path d = images();
        for (String f : new String[] {"ref", "p0", "p1"}) {
            Files.copy(d.resolve("img/0.png"), subset.resolve(f).resolve("000.png"));
        }
        Files.writeString(subset.resolve("judge/000.npy"), "not a numpy file");
        assertRefused(align(dir.resolve("bapps")), "judge/000.npy");
    }
}
