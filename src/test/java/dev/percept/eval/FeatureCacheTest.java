package dev.percept.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.percept.data.downstream.DatasetFixtures;
import dev.percept.embed.ModelRequest;
import dev.percept.embed.PreprocessMode;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.io.MappedFloats;
import dev.percept.model.FeatureNorm;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features are extracted once per model, adapter, images and settings, then read from the cache. */
class FeatureCacheTest {
    static final Path DINO = Path.of("src/test/resources/parity/dino_timm/model");

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    private FeatureSource source(List<Path> adapters) {
        return source(adapters, null);
    }

    private FeatureSource source(List<Path> adapters, Path head) {
        ModelRequest request = new ModelRequest(DINO.toString(), null, Precision.FP32, ComputeDevice.CPU, 32, PreprocessMode.DREAMSIM,
                null, adapters, null, head);
        return new FeatureSource(request, new ModelStore(HubSettings.fromEnvironment(), KnownModels.DEFAULT),
                new FeatureCache(dir.resolve("cache")), FeatureNorm.NONE, 4);
    }

    private List<Path> images() {
        DatasetFixtures.folders(dir.resolve("data"), "train", 2, 3);
        try (var s = Files.walk(dir.resolve("data"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path adapter(float value) throws IOException {
        return TinyAdapter.write(dir.resolve("adapter"), value);
    }

    @Test
    void aSecondExtractionComesFromTheCacheWithoutRunningTheModel() {
        List<Path> images = images();
        MappedFloats first;
        try (FeatureSource s = source(List.of())) {
            first = s.vectors(images, "train");
            assertEquals(1, s.extractions());
        }
        try (FeatureSource s = source(List.of())) {
            MappedFloats again = s.vectors(images, "train");
            assertEquals(0, s.extractions());
            assertEquals(first.file(), again.file());
            assertArrayEquals(new long[] {6, 64}, again.shape());
            assertArrayEquals(first.row(5), again.row(5));
            MappedFloats grid = s.patchTokens(images, "train"); // another feature mode: its own entry
            assertEquals(1, s.extractions());
            assertArrayEquals(new long[] {6, 4, 4, 64}, grid.shape());
        }
    }

    @Test
    void aChangedAdapterOrImageMissesTheCache() throws IOException {
        List<Path> images = images();
        Path adapter = adapter(0.1f);
        float[] before;
        try (FeatureSource s = source(List.of(adapter))) {
            before = s.vectors(images, "train").row(0);
            s.vectors(images, "train");
            assertEquals(1, s.extractions());
        }
        adapter(0.2f);
        try (FeatureSource s = source(List.of(adapter))) {
            float[] after = s.vectors(images, "train").row(0);
            assertEquals(1, s.extractions());
            assertFalse(java.util.Arrays.equals(before, after));
            s.vectors(images.subList(0, 5), "train");
            assertEquals(2, s.extractions());
        }
    }

    @Test
    void aHeadChangesTheFeaturesAndHasItsOwnEntry() throws IOException {
        List<Path> images = images();
        Path head = TinyHead.write(dir.resolve("head"), 0.5f);
        MappedFloats plain;
        MappedFloats headed;
        try (FeatureSource s = source(List.of())) {
            plain = s.vectors(images, "train");
        }
        try (FeatureSource s = source(List.of(), head)) {
            headed = s.vectors(images, "train");
            assertEquals(1, s.extractions(), "the head is part of the key: no hit on the plain features");
            assertNotEquals(plain.file(), headed.file());
            assertFalse(java.util.Arrays.equals(plain.row(0), headed.row(0)));
            s.vectors(images, "train");
            assertEquals(1, s.extractions());
        }
        TinyHead.write(head, 0.25f); // retrained in place: its bytes are in the key
        try (FeatureSource s = source(List.of(), head)) {
            float[] again = s.vectors(images, "train").row(0);
            assertEquals(1, s.extractions());
            assertFalse(java.util.Arrays.equals(headed.row(0), again));
        }
    }
}
