package dev.percept.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ModelStoreTest {

    private static final String REPO = "test-org/tiny-vit";
    private static final String OTHER_REPO = "test-org/tiny-clip";
    private static final byte[] CONFIG = "{\"hidden_size\": 8}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WEIGHTS = randomBytes(200_000, 1);
    private static final byte[] OTHER_WEIGHTS = randomBytes(5_000, 2);

    private static final KnownModels KNOWN = new KnownModels(List.of(
            KnownModel.onHub("tiny_vit", "dino", REPO, "main", List.of("config.json", "model.safetensors"),
                    KnownModel.GELU, "a tiny ViT"),
            KnownModel.onHub("tiny_clip", "open_clip", OTHER_REPO, "main", List.of("open_clip_model.safetensors"),
                    KnownModel.QUICK_GELU, "a tiny CLIP"),
            KnownModel.onHub("missing_file", "dino", REPO, "main", List.of("nothing.safetensors"),
                    KnownModel.GELU, "names a file the repo lacks"),
            KnownModel.onHub("gated", "dino", "test-org/gated", "main", List.of("model.safetensors"),
                    KnownModel.GELU, "a gated repo"),
            KnownModel.manual("by_hand", "synclr", KnownModel.GELU, "convert it from the pickle yourself",
                    "published as pickle only"),
            KnownModel.onHub("old_name", "dino", "test-org/old-name", "main", List.of("config.json"),
                    KnownModel.GELU, "a repo that was renamed"),
            KnownModel.ensemble("pair", List.of("tiny_vit", "tiny_clip"), "two tiny models")));

    @TempDir
    Path temp;

    private FakeHub hub;
    private Path cacheDir;
    private StringWriter log;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        hub.addGitFile(REPO, "config.json", CONFIG);
        hub.addLfsFile(REPO, "model.safetensors", WEIGHTS);
        hub.addLfsFile(OTHER_REPO, "open_clip_model.safetensors", OTHER_WEIGHTS);
        hub.addLfsFile("test-org/gated", "model.safetensors", OTHER_WEIGHTS);
        hub.gate("test-org/gated");
        cacheDir = temp.resolve("hub");
        log = new StringWriter();
    }

    @AfterEach
    void stopHub() throws IOException {
        hub.close();
    }

    private ModelStore store(boolean offline, String token) {
        return new ModelStore(new HubSettings(cacheDir, hub.endpoint(), offline, token, Duration.ofSeconds(5)), KNOWN);
    }

    private Path snapshotFile(String repo, String file) {
        return cacheDir.resolve("models--" + repo.replace("/", "--")).resolve("snapshots/" + FakeHub.COMMIT).resolve(file);
    }

    private Map<String, Path> pull(String name) {
        return store(false, null).pull(name, null, new TransferProgress(new PrintWriter(log), false));
    }

    @Test
    void freshPullCreatesTheHuggingFaceCacheLayout() throws IOException {
        Path folder = pull("tiny_vit").get("tiny_vit");

        Path repoDir = cacheDir.resolve("models--test-org--tiny-vit");
        assertEquals(repoDir.resolve("snapshots").resolve(FakeHub.COMMIT), folder);
        assertEquals(FakeHub.COMMIT, Files.readString(repoDir.resolve("refs/main")));
        String weightsEtag = FakeHub.sha256(WEIGHTS);
        String configEtag = FakeHub.gitSha1(CONFIG);
        assertArrayEquals(WEIGHTS, Files.readAllBytes(repoDir.resolve("blobs").resolve(weightsEtag)));
        assertArrayEquals(CONFIG, Files.readAllBytes(repoDir.resolve("blobs").resolve(configEtag)));
        Path weightsLink = folder.resolve("model.safetensors");
        assertTrue(Files.isSymbolicLink(weightsLink));
        assertEquals(Path.of("../../blobs/" + weightsEtag), Files.readSymbolicLink(weightsLink));
        assertEquals(Path.of("../../blobs/" + configEtag), Files.readSymbolicLink(folder.resolve("config.json")));
        assertArrayEquals(WEIGHTS, Files.readAllBytes(weightsLink));
        try (var blobs = Files.list(repoDir.resolve("blobs"))) {
            assertEquals(2, blobs.count(), "no .incomplete file is left behind");
        }
        // The LFS file came from the CDN, the git file from the Hub itself.
        assertEquals(List.of("cdn", "hub"), hub.downloads().stream().map(FakeHub.Request::server).sorted().toList());
    }

    @Test
    void secondPullDownloadsNothing() {
        pull("tiny_vit");
        int before = hub.downloads().size();

        Path folder = pull("tiny_vit").get("tiny_vit");

        assertEquals(before, hub.downloads().size());
        assertTrue(log.toString().contains("model.safetensors: already in the cache"));
        assertEquals(cacheDir.resolve("models--test-org--tiny-vit/snapshots/" + FakeHub.COMMIT), folder);
    }

    @Test
    void brokenTransferIsResumedWithARangeRequestForTheMissingBytes() throws IOException {
        hub.breakAfter(REPO, "model.safetensors", 80_000, 1);

        pull("tiny_vit");

        List<FakeHub.Request> cdn = hub.downloads().stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(2, cdn.size());
        assertNull(cdn.get(0).range());
        long kept = Long.parseLong(cdn.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(kept > 0 && kept <= 80_000, "resumed from " + kept);
        assertEquals(WEIGHTS.length - kept, cdn.get(1).bytesSent());
        assertArrayEquals(WEIGHTS, Files.readAllBytes(snapshotFile(REPO, "model.safetensors")));
        assertTrue(log.toString().contains("resuming"), log.toString());
    }

    @Test
    void partialDownloadOfAnEarlierRunIsResumed() throws IOException {
        Path blobs = Files.createDirectories(cacheDir.resolve("models--test-org--tiny-vit/blobs"));
        Path partial = blobs.resolve(FakeHub.sha256(WEIGHTS) + ".incomplete");
        Files.write(partial, Arrays.copyOf(WEIGHTS, 50_000));

        pull("tiny_vit");

        List<FakeHub.Request> cdn = hub.downloads().stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(1, cdn.size());
        assertEquals("bytes=50000-", cdn.get(0).range());
        assertEquals(WEIGHTS.length - 50_000, cdn.get(0).bytesSent());
        assertArrayEquals(WEIGHTS, Files.readAllBytes(snapshotFile(REPO, "model.safetensors")));
        assertFalse(Files.exists(partial));
    }

    @Test
    void stalledTransferIsAbandonedAndResumed() throws IOException {
        hub.stallOnceAfter(REPO, "model.safetensors", 60_000, 5_000);
        HubSettings impatient = new HubSettings(cacheDir, hub.endpoint(), false, null, Duration.ofMillis(300));

        new ModelStore(impatient, KNOWN).pull("tiny_vit", null, new TransferProgress(new PrintWriter(log), false));

        assertTrue(log.toString().contains("no data for 0.3 s"), log.toString());
        assertArrayEquals(WEIGHTS, Files.readAllBytes(snapshotFile(REPO, "model.safetensors")));
    }

    @Test
    void repeatedBreaksGiveUpAndKeepWhatArrived() throws IOException {
        hub.breakAfter(REPO, "model.safetensors", 10_000, 5);

        PerceptException e = assertThrows(PerceptException.class, () -> pull("tiny_vit"));

        assertTrue(e.getMessage().contains("broke off"), e.getMessage());
        assertTrue(e.getMessage().endsWith("5 times; run the same command again to resume it"), e.getMessage());
        Path partial = cacheDir.resolve("models--test-org--tiny-vit/blobs/" + FakeHub.sha256(WEIGHTS) + ".incomplete");
        assertTrue(Files.size(partial) > 0 && Files.size(partial) <= 50_000);
        assertFalse(Files.exists(snapshotFile(REPO, "model.safetensors")));
    }

    @Test
    void checksumMismatchIsRefusedAndLeavesNothingInSnapshots() throws IOException {
        byte[] tampered = WEIGHTS.clone();
        tampered[1234] ^= 1;
        hub.serveInstead(REPO, "model.safetensors", tampered);

        PerceptException e = assertThrows(PerceptException.class, () -> pull("tiny_vit"));

        assertTrue(e.getMessage().contains("checksum mismatch for model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains(FakeHub.sha256(WEIGHTS)), e.getMessage());
        assertTrue(e.getMessage().contains(FakeHub.sha256(tampered)), e.getMessage());
        Path repoDir = cacheDir.resolve("models--test-org--tiny-vit");
        assertFalse(Files.exists(repoDir.resolve("snapshots/" + FakeHub.COMMIT + "/model.safetensors")));
        assertFalse(Files.exists(repoDir.resolve("blobs/" + FakeHub.sha256(WEIGHTS))));
        assertFalse(Files.exists(repoDir.resolve("blobs/" + FakeHub.sha256(WEIGHTS) + ".incomplete")));
    }

    @Test
    void pullingAnEnsemblePullsEachMember() {
        Map<String, Path> folders = pull("pair");

        assertEquals(List.of("tiny_vit", "tiny_clip"), List.copyOf(folders.keySet()));
        assertTrue(Files.exists(folders.get("tiny_clip").resolve("open_clip_model.safetensors")));
        assertTrue(Files.exists(folders.get("tiny_vit").resolve("model.safetensors")));
    }

    @Test
    void renamedRepoIsFollowedOnTheSameHub() throws IOException {
        hub.rename("test-org/old-name", REPO);

        Path folder = pull("old_name").get("old_name");

        // Like huggingface_hub, the cache keeps the name that was asked for.
        assertEquals(cacheDir.resolve("models--test-org--old-name/snapshots/" + FakeHub.COMMIT), folder);
        assertArrayEquals(CONFIG, Files.readAllBytes(folder.resolve("config.json")));
        assertTrue(hub.requests().stream().anyMatch(
                r -> r.method().equals("HEAD") && r.path().equals("/" + REPO + "/resolve/main/config.json")));
    }

    @Test
    void missingFileIsNamedWithRepoAndRevision() {
        PerceptException e = assertThrows(PerceptException.class, () -> pull("missing_file"));

        assertEquals("no file nothing.safetensors in repo test-org/tiny-vit at revision main", e.getMessage());
    }

    @Test
    void unknownRevisionIsReported() {
        PerceptException e = assertThrows(PerceptException.class,
                () -> store(false, null).pull("tiny_vit", "v9", new TransferProgress(new PrintWriter(log), false)));

        assertEquals("no revision v9 in repo test-org/tiny-vit", e.getMessage());
    }

    @Test
    void gatedRepoAsksForHfToken() {
        PerceptException e = assertThrows(PerceptException.class, () -> pull("gated"));

        assertTrue(e.getMessage().contains("gated"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void tokenGoesToTheHubButNotToTheCdn() {
        store(false, "hf_secret").pull("tiny_vit", null, new TransferProgress(new PrintWriter(log), false));

        for (FakeHub.Request r : hub.requests()) {
            String expected = r.server().equals("hub") ? "Bearer hf_secret" : null;
            assertEquals(expected, r.authorization(), r.toString());
        }
    }

    @Test
    void offlinePullUsesTheCacheWithoutNetwork() {
        pull("tiny_vit");
        int before = hub.requests().size();

        Map<String, Path> folders = store(true, null).pull("tiny_vit", null,
                new TransferProgress(new PrintWriter(log), false));

        assertEquals(before, hub.requests().size());
        assertEquals(cacheDir.resolve("models--test-org--tiny-vit/snapshots/" + FakeHub.COMMIT),
                folders.get("tiny_vit"));
    }

    @Test
    void offlinePullOfAMissingModelNamesTheFileAndTheCommand() {
        PerceptException e = assertThrows(PerceptException.class,
                () -> store(true, null).pull("tiny_vit", null, new TransferProgress(new PrintWriter(log), false)));

        assertTrue(hub.requests().isEmpty());
        assertTrue(e.getMessage().contains("config.json of test-org/tiny-vit at revision main is not in the cache"),
                e.getMessage());
        assertTrue(e.getMessage().contains("percept pull tiny_vit"), e.getMessage());
    }

    @Test
    void offlineResolutionFindsAPulledModel() throws IOException {
        pull("tiny_vit");
        int before = hub.requests().size();

        Path folder = store(true, null).resolve("tiny_vit");

        assertEquals(before, hub.requests().size());
        assertArrayEquals(CONFIG, Files.readAllBytes(folder.resolve("config.json")));
    }

    @Test
    void resolveOfAFolderReturnsItAsIs() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("my-model"));

        assertEquals(folder, store(true, null).resolve(folder.toString()));
    }

    @Test
    void resolveOfAnUnknownNameListsTheKnownNames() {
        PerceptException e = assertThrows(PerceptException.class, () -> store(true, null).resolve("dino_vitb99"));

        assertEquals("dino_vitb99 is neither an existing folder or weights file nor a known model name (known: tiny_vit, tiny_clip,"
                + " missing_file, gated, by_hand, old_name, pair)", e.getMessage());
    }

    @Test
    void resolveOfAKnownModelNotInTheCacheSaysHowToPullIt() throws IOException {
        // Only the config is cached: the weights are missing.
        Path repoDir = cacheDir.resolve("models--test-org--tiny-vit");
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), FakeHub.COMMIT);
        Files.createDirectories(repoDir.resolve("snapshots/" + FakeHub.COMMIT));
        Files.write(repoDir.resolve("snapshots/" + FakeHub.COMMIT + "/config.json"), CONFIG);

        PerceptException e = assertThrows(PerceptException.class, () -> store(true, null).resolve("tiny_vit"));

        assertTrue(e.getMessage().contains("missing model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().endsWith("run `percept pull tiny_vit`"), e.getMessage());
    }

    @Test
    void resolveFindsFilesThatPythonHuggingfaceHubDownloaded() throws IOException {
        // The layout hf_hub_download leaves: blob named by etag, relative link, ref without newline.
        Path repoDir = cacheDir.resolve("models--test-org--tiny-clip");
        Path blob = Files.write(Files.createDirectories(repoDir.resolve("blobs")).resolve(FakeHub.sha256(OTHER_WEIGHTS)),
                OTHER_WEIGHTS);
        Path snapshot = Files.createDirectories(repoDir.resolve("snapshots/" + FakeHub.COMMIT));
        Files.createSymbolicLink(snapshot.resolve("open_clip_model.safetensors"), snapshot.relativize(blob));
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), FakeHub.COMMIT);

        assertEquals(snapshot, store(true, null).resolve("tiny_clip"));
        pull("tiny_clip");
        assertTrue(hub.downloads().isEmpty(), "a pull reuses what Python downloaded");
    }

    @Test
    void resolveOfAnEnsembleOrAManualModelExplains() {
        ModelStore store = store(true, null);

        assertEquals("pair is an ensemble of tiny_vit, tiny_clip: resolve each member",
                assertThrows(PerceptException.class, () -> store.resolve("pair")).getMessage());
        assertEquals("by_hand: convert it from the pickle yourself",
                assertThrows(PerceptException.class, () -> store.resolve("by_hand")).getMessage());
        assertEquals("by_hand: convert it from the pickle yourself",
                assertThrows(PerceptException.class, () -> pull("by_hand")).getMessage());
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void listShowsWhichModelsAreCached() {
        pull("tiny_clip");

        List<ModelStore.CachedModel> listed = store(true, null).list();

        assertEquals(KNOWN.all().size(), listed.size());
        for (ModelStore.CachedModel c : listed) {
            boolean cached = c.model().name().equals("tiny_clip");
            assertEquals(cached, c.folder().isPresent(), c.model().name());
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
