package dev.percept.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.io.Npy;
import dev.percept.search.SearchIndex;
import dev.percept.search.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept index`, `search` and `duplicates` as a user runs them, on generated images and the tiny fixture models. */
class SearchCommandsTest {
    static final String DINO = EmbedCommandTest.DINO;

    @TempDir
    Path dir;

    Path photos;
    Path index;

    @BeforeEach
    void images() throws IOException {
        photos = dir.resolve("photos").toAbsolutePath();
        for (int i = 0; i < 8; i++) {
            TestImages.png(photos.resolve((i < 4 ? "beach/" : "city/") + "img" + i + ".png"), i, 0);
        }
        Files.copy(photos.resolve("beach/img1.png"), photos.resolve("city/copy_of_1.png"));
        TestImages.png(photos.resolve("city/near_2.png"), 2, 0x010101); // one block nudged by one level
        index = dir.resolve("index");
    }

    private Cli index(String... extra) {
        List<String> args = new ArrayList<>(List.of("index", "--model", DINO, "--precision", "fp32", "--batch", "3",
                "--out", index.toString()));
        args.addAll(List.of(extra));
        args.add(photos.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void indexesSearchesAndStoresDreamsimNormalisedVectors() throws IOException {
        Cli r = index();
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("10 images (10 added, 0 changed, 0 unchanged, 0 removed; 1 took an indexed copy's vector)"), r.out());

        Cli s = Cli.run("search", "--index", index.toString(), "--k", "3", "--json", photos.resolve("beach/img1.png").toString());
        assertEquals(0, s.exitCode(), s.err());
        JsonNode results = new ObjectMapper().readTree(s.out()).get("queries").get(0).get("results");
        assertEquals(3, results.size());
        List<String> top2 = List.of(results.get(0).get("path").asText(), results.get(1).get("path").asText());
        assertTrue(top2.containsAll(List.of(photos.resolve("beach/img1.png").toString(), photos.resolve("city/copy_of_1.png").toString())), s.out());
        assertEquals(0, results.get(0).get("distance").asDouble(), 1e-6);
        assertEquals(0, results.get(1).get("distance").asDouble(), 1e-6);
        assertTrue(results.get(2).get("distance").asDouble() > 1e-4);

        // The index holds what `percept embed --normalize dreamsim` computes.
        Path npy = dir.resolve("e.npy");
        assertEquals(0, Cli.run("embed", "--model", DINO, "--precision", "fp32", "--normalize", "dreamsim", "--out", npy.toString(),
                photos.resolve("city/img5.png").toString()).exitCode());
        float[] expected = Npy.readFloats(npy).data();
        try (SearchIndex opened = SearchIndex.open(index)) {
            float[] stored = opened.vectorOf(photos.resolve("city/img5.png").toString()).orElseThrow();
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], stored[c], 1e-5);
            }
            assertEquals("dreamsim", opened.identity().normalization());
            assertEquals(64, opened.identity().dimension());
            assertEquals(64, opened.identity().weightsSha256().length());
        }

        // A file that is not in the index is embedded with the recorded model: a copy outside finds its original.
        Path outside = dir.resolve("query.png");
        Files.copy(photos.resolve("city/img6.png"), outside);
        Cli q = Cli.run("search", "--index", index.toString(), "--k", "1", outside.toString());
        assertEquals(0, q.exitCode(), q.err());
        assertTrue(q.out().contains("   1  0.0000  " + photos.resolve("city/img6.png")), q.out());

        // --under keeps to one folder.
        Cli under = Cli.run("search", "--index", index.toString(), "--k", "10", "--under", photos.resolve("beach").toString(), "--json",
                photos.resolve("city/img6.png").toString());
        JsonNode filtered = new ObjectMapper().readTree(under.out()).get("queries").get(0).get("results");
        assertEquals(4, filtered.size());
        filtered.forEach(h -> assertTrue(h.get("path").asText().startsWith(photos.resolve("beach") + "/"), h.toString()));

        Cli missing = Cli.run("search", "--index", index.toString(), dir.resolve("nope.png").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("is neither an image file nor an indexed path"), missing.err());
    }

    @Test
    void rerunsAreIncrementalAndAnotherModelIsRefused() throws IOException {
        assertEquals(0, index().exitCode());
        Cli again = index();
        assertTrue(again.out().contains("10 images (0 added, 0 changed, 10 unchanged, 0 removed; 0 took"), again.out());

        Files.delete(photos.resolve("beach/img0.png"));
        TestImages.png(photos.resolve("beach/img3.png"), 33, 0); // new content at the same path
        Files.setLastModifiedTime(photos.resolve("beach/img3.png"), FileTime.fromMillis(1_000_000));
        TestImages.png(photos.resolve("new/img9.png"), 9, 0);
        Files.setLastModifiedTime(photos.resolve("city/img4.png"), FileTime.fromMillis(2_000_000)); // touched only
        Cli changed = index();
        assertEquals(0, changed.exitCode(), changed.err());
        assertTrue(changed.out().contains("10 images (1 added, 2 changed, 7 unchanged, 1 removed; 1 took"), changed.out() + changed.err());
        try (SearchIndex opened = SearchIndex.open(index)) {
            assertEquals(10, opened.size());
            assertFalse(opened.contains(photos.resolve("beach/img0.png").toString()));
            assertTrue(opened.contains(photos.resolve("new/img9.png").toString()));
        }

        Cli other = Cli.run("index", "--model", EmbedCommandTest.CLIP, "--out", index.toString(), photos.toString());
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("was built with another model (weights"), other.err());
        assertTrue(other.err().contains("--rebuild to start over"), other.err());
        Cli quantized = index("--quantize", "int7");
        assertEquals(2, quantized.exitCode());
        assertTrue(quantized.err().contains("was built with --quantize none, not int7"), quantized.err());

        Cli rebuilt = Cli.run("index", "--model", EmbedCommandTest.CLIP, "--rebuild", "--quantize", "int7", "--out", index.toString(),
                photos.toString());
        assertEquals(0, rebuilt.exitCode(), rebuilt.err());
        assertTrue(rebuilt.out().contains("10 images (10 added"), rebuilt.out() + rebuilt.err());
        try (SearchIndex opened = SearchIndex.open(index)) {
            assertEquals(32, opened.identity().dimension());
            assertEquals("int7", opened.quantization().toString());
        }
        Cli none = index("--normalize", "none");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("--normalize none is not accepted"), none.err());
    }

    @Test
    void unreadableImagesAreSkippedWithAWarningAndTheRestIsIndexed() throws IOException {
        byte[] jpeg = Files.readAllBytes(EmbedCommandTest.IMAGES.resolve("jpeg_photo.jpg"));
        Path truncated = Files.write(photos.resolve("beach/truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Path copy = Files.write(photos.resolve("city/truncated_copy.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Path text = Files.writeString(photos.resolve("beach/notes.png"), "not a picture");
        Cli r = index();
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("13 images (10 added, 0 changed, 0 unchanged, 0 removed; 1 took an indexed copy's vector); "
                + "3 unreadable, skipped"), r.out());
        assertTrue(r.err().contains("warning: skipped " + truncated + ": JPEG is truncated"), r.err());
        assertTrue(r.err().contains("warning: skipped " + copy + ": the same bytes as " + truncated + ", which does not decode"), r.err());
        assertTrue(r.err().contains("warning: skipped " + text + ": "), r.err());
        try (SearchIndex opened = SearchIndex.open(index)) {
            assertEquals(10, opened.size());
            assertFalse(opened.contains(truncated.toString()));
        }

        // An indexed image that turns corrupt leaves the index; one that is fixed joins it.
        Path img5 = photos.resolve("city/img5.png");
        Files.write(img5, Arrays.copyOf(Files.readAllBytes(img5), 60));
        Files.delete(text);
        Files.write(truncated, jpeg);
        Cli again = index();
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("12 images (1 added, 0 changed, 9 unchanged, 0 removed; 0 took an indexed copy's vector); "
                + "2 unreadable, skipped"), again.out());
        assertTrue(again.err().contains("warning: skipped " + img5 + ": "), again.err());
        try (SearchIndex opened = SearchIndex.open(index)) {
            assertEquals(10, opened.size());
            assertFalse(opened.contains(img5.toString()));
            assertTrue(opened.contains(truncated.toString()));
        }
    }

    @Test
    void duplicatesGroupCopiesAndNearCopiesUnderTheThreshold() throws IOException {
        assertEquals(0, index().exitCode());
        Path out = dir.resolve("groups.json");
        Cli d = Cli.run("duplicates", "--index", index.toString(), "--threshold", "0.001", "--out", out.toString());
        assertEquals(0, d.exitCode(), d.err());
        assertTrue(d.out().contains("nearest-neighbour distances (10 images):"), d.out());
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        JsonNode groups = root.get("groups");
        List<List<String>> found = new ArrayList<>();
        groups.forEach(g -> {
            List<String> paths = new ArrayList<>();
            g.forEach(p -> paths.add(p.asText()));
            found.add(paths);
        });
        assertTrue(found.contains(List.of(photos.resolve("beach/img1.png").toString(), photos.resolve("city/copy_of_1.png").toString())),
                found.toString());
        assertTrue(found.contains(List.of(photos.resolve("beach/img2.png").toString(), photos.resolve("city/near_2.png").toString())),
                found.toString());
        assertEquals(2, found.size(), found.toString());
        int counted = 0;
        for (JsonNode bin : root.get("nearest_neighbour_histogram")) {
            counted += bin.get("count").asInt();
        }
        assertEquals(10, counted);

        Cli everything = Cli.run("duplicates", "--index", index.toString(), "--threshold", "2");
        assertTrue(everything.out().contains("1 groups under 2.0000"), everything.out());
    }
}
