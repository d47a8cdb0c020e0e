package dev.percept.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 2AFC readers on tiny folders laid out like the real datasets, and their error messages. */
class TwoAfcSourcesTest {
    @TempDir
    Path root;

    private void touch(String... paths) throws IOException {
        for (String p : paths) {
            Files.createDirectories(root.resolve(p).getParent());
            Files.write(root.resolve(p), new byte[] {1});
        }
    }

    private void nightsCsv(String... rows) throws IOException {
        StringBuilder csv = new StringBuilder(
                ",id,left_vote,right_vote,votes,ref_path,left_path,right_path,prompt,split,is_imagenet\n");
        for (String r : rows) {
            csv.append(r).append('\n');
        }
        Files.writeString(root.resolve("data.csv"), csv.toString());
    }

    @Test
    void nightsReadsColumnsByNameFiltersSplitAndVotesAndGroupsByImagenet() throws IOException {
        touch("ref/000/000.png", "distort/000/000_0.png", "distort/000/000_1.png",
                "ref/000/001.png", "distort/000/001_0.png", "distort/000/001_1.png");
        nightsCsv(
                "0,0,0.25,0.75,8,ref/000/000.png,distort/000/000_0.png,distort/000/000_1.png,\"a cat, sitting\",test,True",
                "1,1,0.5,0.5,4,ref/000/001.png,distort/000/001_0.png,distort/000/001_1.png,x,test,False",
                "2,2,1.0,0.0,7,ref/000/001.png,distort/000/001_0.png,distort/000/001_1.png,x,train,False",
                "3,3,0.0,1.0,6,ref/000/001.png,distort/000/001_0.png,distort/000/001_1.png,x,test,False");
        List<Triplet> test = TwoAfcSources.nights(root, "test", 6);
        assertEquals(2, test.size()); // row 1 has 4 votes, row 2 is train
        assertEquals(0.75, test.get(0).rightVote());
        assertEquals("imagenet", test.get(0).subset());
        assertEquals(1, test.get(0).target());
        assertEquals("other", test.get(1).subset());
        assertEquals(root.resolve("distort/000/000_1.png"), test.get(0).right());
        assertEquals(3, TwoAfcSources.nights(root, "test", 0).size());
    }

    @Test
    void nightsErrorsNameTheFileRowOrColumn() throws IOException {
        touch("r.png", "a.png", "b.png");
        Files.writeString(root.resolve("data.csv"), "id,left_vote,ref_path,left_path,right_path,split\n");
        String header = assertThrows(PerceptException.class, () -> TwoAfcSources.nights(root, "test", 6)).getMessage();
        assertTrue(header.contains("data.csv") && header.contains("right_vote"), header);

        nightsCsv("0,0,0.5,9,8,r.png,a.png,b.png,x,test,True");
        String vote = assertThrows(PerceptException.class, () -> TwoAfcSources.nights(root, "test", 6)).getMessage();
        assertTrue(vote.contains("line 2") && vote.contains("right_vote 9.0"), vote);

        nightsCsv("0,0,0.5,0.5,8,r.png,a.png,missing.png,x,test,True");
        String missing = assertThrows(PerceptException.class, () -> TwoAfcSources.nights(root, "test", 6)).getMessage();
        assertTrue(missing.contains(root.resolve("missing.png").toString()) && missing.contains("line 2"), missing);

        String empty = assertThrows(PerceptException.class, () -> TwoAfcSources.nights(root, "val", 6)).getMessage();
        assertTrue(empty.contains("no rows in split 'val'"), empty);
    }

    @Test
    void plainCsvResolvesPathsBesideTheFileAndChecksP() throws IOException {
        touch("img/r.png", "img/a.png", "img/b.png");
        Path csv = root.resolve("judgments.csv");
        Files.writeString(csv, "ref,left,right,p\nimg/r.png,img/a.png,img/b.png,0.2\n");
        Triplet t = TwoAfcSources.read(csv, null, 0).get(0);
        assertEquals(root.resolve("img/a.png"), t.left());
        assertEquals(-1, t.target());

        Files.writeString(csv, "ref,left,right,p\nimg/r.png,img/a.png,img/b.png,1.2\n");
        String message = assertThrows(PerceptException.class, () -> TwoAfcSources.read(csv, null, 0)).getMessage();
        assertTrue(message.contains("judgments.csv, line 2") && message.contains("1.2"), message);

        Files.writeString(csv, "reference,left,right,p\n");
        String header = assertThrows(PerceptException.class, () -> TwoAfcSources.read(csv, null, 0)).getMessage();
        assertTrue(header.contains("lacks column(s) [ref]"), header);
    }

    @Test
    void bappsReadsEverySubsetWithItsJudgments() throws IOException {
        for (String subset : new String[] {"cnn", "traditional"}) {
            touch(subset + "/ref/000000.png", subset + "/p0/000000.png", subset + "/p1/000000.png");
            Files.createDirectories(root.resolve(subset + "/judge"));
            Npy.write(root.resolve(subset + "/judge/000000.npy"), new FloatArray(new long[] {1}, new float[] {0.25f}));
        }
        List<Triplet> triplets = TwoAfcSources.read(root, null, 0);
        assertEquals(2, triplets.size());
        assertEquals("cnn", triplets.get(0).subset());
        assertEquals(0.25, triplets.get(1).rightVote(), 1e-7);
        assertEquals(root.resolve("traditional/p0/000000.png"), triplets.get(1).left());

        Files.write(root.resolve("cnn/judge/000000.npy"), new byte[] {1, 2, 3});
        String message = assertThrows(PerceptException.class, () -> TwoAfcSources.read(root, null, 0)).getMessage();
        assertTrue(message.contains("cnn/judge/000000.npy"), message);
    }

    @Test
    void thingsListsMakeTheOddOneOutTheFartherImage() throws IOException {
        touch("things/a.jpg", "things/b.jpg", "things/c.jpg");
        Path list = root.resolve("things/triplets.txt");
        Files.writeString(list, "# im1 im2 im3 (im3 is the odd one out)\na.jpg b.jpg c.jpg\n");
        Triplet t = TwoAfcSources.read(list, null, 0).get(0);
        assertEquals(root.resolve("things/a.jpg"), t.ref());
        assertEquals(root.resolve("things/b.jpg"), t.left());
        assertEquals(root.resolve("things/c.jpg"), t.right());
        assertEquals(-1, t.target());

        Files.writeString(list, "a.jpg b.jpg\n");
        String message = assertThrows(PerceptException.class, () -> TwoAfcSources.read(list, null, 0)).getMessage();
        assertTrue(message.contains("triplets.txt, line 1") && message.contains("three image paths"), message);
    }

    @Test
    void classFoldersGiveASameClassCloserImageAndAreRepeatableBySeed() throws IOException {
        touch("imagenet/cat/1.jpg", "imagenet/cat/2.jpg", "imagenet/cat/3.jpg", "imagenet/dog/1.jpg", "imagenet/dog/2.jpg");
        Path folder = root.resolve("imagenet");
        List<Triplet> triplets = TwoAfcSources.read(folder, null, 7);
        assertEquals(5, triplets.size()); // one per image
        for (Triplet t : triplets) {
            assertEquals(t.ref().getParent(), t.left().getParent());
            assertTrue(!t.ref().equals(t.left()));
            assertTrue(!t.ref().getParent().equals(t.right().getParent()));
            assertEquals(-1, t.target());
        }
        assertEquals(triplets, TwoAfcSources.read(folder, null, 7));

        Files.delete(root.resolve("imagenet/dog/1.jpg"));
        Files.delete(root.resolve("imagenet/dog/2.jpg"));
        String message = assertThrows(PerceptException.class, () -> TwoAfcSources.read(folder, null, 7)).getMessage();
        assertTrue(message.contains("at least two class folders"), message);
    }

    @Test
    void agreementIsTheShareOfJudgesWhoAgreeAndHalfForATie() {
        assertEquals(0.8, TwoAfc.agreement(0.1, 0.3, 0.2), 1e-12);
        assertEquals(0.2, TwoAfc.agreement(0.3, 0.1, 0.2), 1e-12);
        assertEquals(0.5, TwoAfc.agreement(0.2, 0.2, 0.9), 1e-12);
    }
}
