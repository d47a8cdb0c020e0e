package dev.percept.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.data.Csv;
import dev.percept.data.Triplet;
import dev.percept.data.TwoAfcSources;
import dev.percept.io.JsonFiles;
import dev.percept.io.Npy;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny world, built once: its files load with the readers and agree with the scenes they show. */
class SyntheticWorldTest {
    private static final long SEED = 11;

    @TempDir
    static Path dir;

    static Path world;
    static World built;

    @BeforeAll
    static void build() {
        world = dir.resolve("world");
        built = SyntheticWorld.build(world, SEED, Size.TINY, Progress.silent());
    }

    @Test
    void theSameSeedGivesByteIdenticalFilesAndAnotherSeedOthers() throws IOException {
        World again = SyntheticWorld.build(dir.resolve("again"), SEED, Size.TINY, Progress.silent());
        assertFalse(again.reused());
        assertEquals(hashes(world), hashes(dir.resolve("again")));
        SyntheticWorld.build(dir.resolve("other"), SEED + 1, Size.TINY, Progress.silent());
        Map<String, String> other = hashes(dir.resolve("other"));
        assertNotEquals(hashes(world).get("nights/ref/000/000.png"), other.get("nights/ref/000/000.png"));
        assertEquals(hashes(world).keySet(), other.keySet(), "the layout does not depend on the seed");
    }

    @Test
    void anExistingWorldIsReusedAndAMismatchedOneRefused() throws IOException {
        long stamp = Files.getLastModifiedTime(world.resolve("nights/data.csv")).toMillis();
        World reused = SyntheticWorld.build(world, SEED, Size.TINY, Progress.silent());
        assertTrue(reused.reused());
        assertEquals(built.counts(), reused.counts());
        assertEquals(stamp, Files.getLastModifiedTime(world.resolve("nights/data.csv")).toMillis());

        String seed = assertThrows(PerceptException.class,
                () -> SyntheticWorld.build(world, SEED + 1, Size.TINY, Progress.silent())).getMessage();
        assertTrue(seed.contains("world.json") && seed.contains("seed " + SEED) && seed.contains("seed " + (SEED + 1)), seed);
        String size = assertThrows(PerceptException.class,
                () -> SyntheticWorld.build(world, SEED, Size.SMALL, Progress.silent())).getMessage();
        assertTrue(size.contains("size tiny") && size.contains("size small"), size);

        Path stranger = dir.resolve("stranger");
        Files.createDirectories(stranger);
        Files.writeString(stranger.resolve("notes.txt"), "mine");
        String foreign = assertThrows(PerceptException.class,
                () -> SyntheticWorld.build(stranger, SEED, Size.TINY, Progress.silent())).getMessage();
        assertTrue(foreign.contains("not a synthetic world"), foreign);
        assertEquals(List.of(stranger.resolve("notes.txt")), list(stranger));
    }

    @Test
    void everyTripletSourceLoadsWithTheReaders() {
        Size s = Size.TINY;
        List<Triplet> all = TwoAfcSources.nights(world.resolve("nights"), null, 0);
        assertEquals(s.nightsTrain() + s.nightsVal() + s.nightsTest(), all.size());
        assertEquals(s.nightsTest(), TwoAfcSources.nights(world.resolve("nights"), "test", 0).size());
        assertTrue(all.stream().anyMatch(t -> t.subset().equals("imagenet")) && all.stream().anyMatch(t -> t.subset().equals("other")));
        assertEquals(s.nightsTrain(), TwoAfcSources.read(world.resolve("nights"), "train", 0).size(),
                "every triplet has 6 votes or more: the reader's filter keeps all");

        List<Triplet> bapps = TwoAfcSources.read(world.resolve("bapps/2afc/train"), null, 0);
        assertEquals(s.bappsTrain(), bapps.size());
        assertEquals(Set.of("blur", "color", "jpeg", "noise"), new HashSet<>(bapps.stream().map(Triplet::subset).toList()));
        assertTrue(bapps.stream().allMatch(t -> t.rightVote() == 0 || t.rightVote() == 0.5 || t.rightVote() == 1), "two judges");
        assertEquals(s.bappsVal(), TwoAfcSources.read(world.resolve("bapps/2afc/val"), null, 0).size());
        assertEquals("<f8", Npy.read(world.resolve("bapps/2afc/val/blur/judge/000000.npy")).dtype());

        List<Triplet> things = TwoAfcSources.read(world.resolve("things/triplets.txt"), null, 0);
        assertEquals(s.thingsTriplets(), things.size());
        for (Triplet t : things) {
            assertEquals(t.ref().getParent(), t.left().getParent(), "im1 and im2 share a category");
            assertNotEquals(t.ref().getParent(), t.right().getParent(), "im3 is of another category");
            assertNotEquals(t.ref(), t.left());
        }

        int classes = Category.values().length;
        assertEquals(classes * s.imagenetTrain(), TwoAfcSources.read(world.resolve("imagenet/train"), null, 1).size());
        for (String split : new String[] {"train", "val", "test"}) {
            assertEquals(classes, list(world.resolve("classification/" + split)).size());
        }
    }

    @Test
    void theNightsTestSplitStaysPutWhenValGrows() {
        Size t = Size.TINY;
        Size moreVal = new Size("tiny", t.imageSize(), t.nightsTrain(), t.nightsVal() + 3, t.nightsTest(), t.bappsTrain(),
                t.bappsVal(), t.thingsTriplets(), t.thingsPerCategory(), t.imagenetTrain(), t.imagenetVal(), t.classTrain(),
                t.classVal(), t.classTest(), t.countTrain(), t.countVal(), t.countTest(), t.segTrain(), t.segVal(),
                t.depthTrain(), t.depthTest(), t.retrievalTrain(), t.retrievalVal(), t.viewsPerIdentity());
        Path other = dir.resolve("more-val");
        NightsWriter.write(other, SEED, moreVal, Progress.silent());
        Map<String, List<String>> before = nightsBySplit(world.resolve("nights/data.csv"));
        Map<String, List<String>> after = nightsBySplit(other.resolve("data.csv"));
        assertEquals(before.get("train"), after.get("train"));
        assertEquals(before.get("val"), after.get("val").subList(0, t.nightsVal()));
        assertEquals(t.nightsTest(), after.get("test").size());
        assertEquals(before.get("test"), after.get("test"), "the test split draws from its own stream");
    }

    /** Each split's rows as description and votes, in order. */
    private static Map<String, List<String>> nightsBySplit(Path csvFile) {
        Csv csv = Csv.read(csvFile);
        Map<String, List<String>> out = new TreeMap<>();
        for (int row = 0; row < csv.size(); row++) {
            out.computeIfAbsent(csv.get(row, "split"), k -> new ArrayList<>())
                    .add(csv.get(row, "prompt") + " " + csv.get(row, "left_vote") + " " + csv.get(row, "votes"));
        }
        return out;
    }

    @Test
    void nightsRowsFollowTheLayoutWithStronglyAgreedVotes() {
        Csv csv = Csv.read(world.resolve("nights/data.csv"));
        csv.require(NightsWriter.HEADER.split(","));
        for (int row = 0; row < csv.size(); row++) {
            double left = csv.number(row, "left_vote");
            double right = csv.number(row, "right_vote");
            double votes = csv.number(row, "votes");
            assertEquals(1, left + right, 1e-9);
            assertTrue(votes >= 6 && votes <= 9);
            assertEquals(Math.round(left * votes), left * votes, 1e-9, "a whole number of judges");
            assertTrue(Math.min(left, right) * votes <= 1 + 1e-9, "row " + row + ": at most one judge dissents");
            assertTrue(csv.get(row, "ref_path").matches("ref/\\d{3}/\\d{3}\\.png"));
            assertTrue(csv.get(row, "right_path").matches("distort/\\d{3}/\\d{3}_1\\.png"));
            assertFalse(csv.get(row, "prompt").isEmpty());
        }
    }

    @Test
    void judgesFileMatchesTheTripletsAndItsNoiseFreeJudgeMostlyMatchesTheMajority() {
        List<NightsJudgments.Judgment> all = NightsJudgments.read(world.resolve("nights"), null);
        assertEquals(Size.TINY.nightsTrain() + Size.TINY.nightsVal() + Size.TINY.nightsTest(), all.size());
        int agree = 0;
        for (NightsJudgments.Judgment j : all) {
            assertEquals(MidLevelJudge.distance(new MidLevelJudge.Change(j.leftChange()[0], j.leftChange()[1], j.leftChange()[2],
                    j.leftChange()[3], j.leftChange()[4], j.leftChange()[5])), j.leftDistance(), 1e-9);
            long changed = java.util.Arrays.stream(j.rightChange()).filter(v -> v > 0).count();
            assertTrue(changed <= 1, "triplet " + j.id() + ": a variant changes one attribute");
            agree += Boolean.TRUE.equals(j.judgeMatchesMajority()) ? 1 : 0;
        }
        assertTrue(agree >= 0.8 * all.size(), agree + " of " + all.size());
        assertEquals(Size.TINY.nightsTest(), NightsJudgments.read(world.resolve("nights"), "test").size());
    }

    @Test
    void countingScenesListEveryObjectAndEachIsVisible() {
        SceneSampler sampler = new SceneSampler(Size.TINY);
        JsonNode json = JsonFiles.readObject(world.resolve("counting/scenes/CLEVR_val_scenes.json"));
        JsonNode scenes = json.get("scenes");
        assertEquals(Size.TINY.countVal(), scenes.size());
        for (int i = 0; i < scenes.size(); i++) {
            JsonNode s = scenes.get(i);
            assertEquals(i, s.get("image_index").asInt());
            assertTrue(Files.isRegularFile(world.resolve("counting/images/val/" + s.get("image_filename").asText())));
            Rendered shot = CountingWriter.scene(SEED, "val", i, sampler);
            int count = s.get("objects").size();
            assertEquals(shot.scene().objects().size(), count);
            Set<Integer> visible = new HashSet<>();
            for (int id : shot.rendering().instance()) {
                if (id > 0) {
                    visible.add(id);
                }
            }
            assertEquals(count, visible.size(), "every listed object shows in image " + i);
            for (JsonNode o : s.get("objects")) {
                JsonNode px = o.get("pixel_coords");
                assertTrue(px.get(0).asInt() >= -2 && px.get(0).asInt() < Size.TINY.imageSize() + 2, "column " + px);
                assertTrue(Set.of("small", "large").contains(o.get("size").asText()));
                assertEquals(3, o.get("3d_coords").size());
            }
        }
    }

    @Test
    void segmentationLabelsArePaletteIndicesThatRoundTrip() throws IOException {
        Path seg = world.resolve("segmentation");
        List<String> classes = Files.readAllLines(seg.resolve("classes.txt"));
        assertEquals("background", classes.get(0));
        assertEquals(Category.values().length + 1, classes.size());
        List<String> ids = Files.readAllLines(seg.resolve("ImageSets/Segmentation/val.txt"));
        assertEquals(Size.TINY.segVal(), ids.size());
        for (String id : Files.readAllLines(seg.resolve("ImageSets/Segmentation/train.txt"))) {
            assertTrue(Files.isRegularFile(seg.resolve("JPEGImages/" + id + ".jpg")));
            BufferedImage label = ImageIO.read(seg.resolve("SegmentationClass/" + id + ".png").toFile());
            IndexColorModel palette = (IndexColorModel) label.getColorModel();
            assertEquals(0x800000, palette.getRGB(1) & 0xffffff, "VOC's colour of class 1");
            assertEquals(0xe0e0c0, palette.getRGB(255) & 0xffffff, "VOC's void colour");
            int[] values = label.getRaster().getPixels(0, 0, label.getWidth(), label.getHeight(), (int[]) null);
            Set<Integer> seen = new HashSet<>();
            for (int v : values) {
                seen.add(v);
                assertTrue(v <= Category.values().length || v == SegmentationWriter.VOID, "label " + v);
            }
            assertTrue(seen.contains(0) && seen.contains(SegmentationWriter.VOID) && seen.size() >= 3, "labels " + seen);
        }

        int[] labels = new int[16 * 16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 8 == 7 ? 255 : i % 7;
        }
        Path file = dir.resolve("labels.png");
        ImageFormats.palettePng(file, labels, 16);
        BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_INDEXED, back.getType());
        assertTrue(Arrays.equals(labels, back.getRaster().getPixels(0, 0, 16, 16, (int[]) null)));
    }

    @Test
    void depthMapsAre16BitMillimetresWithTheCamerasFocal() throws IOException {
        List<String> lines = Files.readAllLines(world.resolve("depth/nyu_test.txt"));
        assertEquals(Size.TINY.depthTest(), lines.size());
        for (String line : lines) {
            String[] parts = line.split(" ");
            assertEquals(3, parts.length);
            assertEquals(Size.TINY.focal(), Double.parseDouble(parts[2]), 1e-3);
            assertTrue(Files.isRegularFile(world.resolve("depth").resolve(parts[0])));
            BufferedImage depth = ImageIO.read(world.resolve("depth").resolve(parts[1]).toFile());
            assertEquals(BufferedImage.TYPE_USHORT_GRAY, depth.getType());
            assertEquals(DataBuffer.TYPE_USHORT, depth.getRaster().getDataBuffer().getDataType());
            int[] mm = depth.getRaster().getPixels(0, 0, depth.getWidth(), depth.getHeight(), (int[]) null);
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int v : mm) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min > 2000 && min < 9000, "nearest point " + min + " mm");
            assertTrue(max <= Renderer.FAR * 1000 && max > 8000, "farthest point " + max + " mm");
        }
    }

    @Test
    void retrievalIdentitiesHaveUserQueriesAndShopGalleryImages() {
        for (String split : new String[] {"train", "validation"}) {
            Map<String, Set<String>> sources = new TreeMap<>();
            for (Path anno : list(world.resolve("retrieval/" + split + "/annos"))) {
                JsonNode a = JsonFiles.readObject(anno);
                String name = anno.getFileName().toString().replace(".json", ".jpg");
                assertTrue(Files.isRegularFile(world.resolve("retrieval/" + split + "/image/" + name)));
                JsonNode item = a.get("item1");
                assertTrue(item.get("style").asInt() >= 1);
                JsonNode box = item.get("bounding_box");
                assertTrue(box.get(0).asInt() < box.get(2).asInt() && box.get(2).asInt() <= Size.TINY.imageSize());
                sources.computeIfAbsent(a.get("pair_id").asInt() + "/" + item.get("style").asInt(), k -> new HashSet<>())
                        .add(a.get("source").asText());
            }
            int identities = split.equals("train") ? Size.TINY.retrievalTrain() : Size.TINY.retrievalVal();
            assertEquals(identities, sources.size());
            sources.values().forEach(s -> assertEquals(Set.of("user", "shop"), s));
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
