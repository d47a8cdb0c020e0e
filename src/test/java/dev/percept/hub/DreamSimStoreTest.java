package dev.percept.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DreamSimStoreTest {

    private static final String TAG = "v0.2.0-checkpoints";
    private static final DreamSimRelease ENSEMBLE = DreamSimRelease.ensemble(TAG);
    private static final String ZIP_PATH = TAG + "/dreamsim_ensemble_checkpoint.zip";
    private static final String DINO_PATH = "dino/dino_vitbase16_pretrain/dino_vitbase16_pretrain.pth";
    private static final byte[] DINO = randomBytes(150_000, 3);
    private static final byte[] CLIP = randomBytes(120_000, 4);
    private static final byte[] OPEN_CLIP = randomBytes(90_000, 5);
    private static final byte[] CONFIG = "{\"r\": 16, \"lora_alpha\": 8}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path temp;

    private FakeHub server;
    private Path cache;
    private StringWriter log;

    @BeforeEach
    void start() throws IOException {
        server = new FakeHub();
        server.addDownload(DINO_PATH, DINO);
        cache = temp.resolve("dreamsim");
        log = new StringWriter();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private DreamSimStore store(boolean offline, SafeUnzip.Limits limits) {
        DreamSimSettings settings = new DreamSimSettings(cache, server.downloadBase(), server.downloadBase(), offline,
                Duration.ofSeconds(5));
        return new DreamSimStore(settings, limits);
    }

    private DreamSimStore.ReleaseFiles pull() {
        return store(false, SafeUnzip.Limits.RELEASE).pull("dreamsim", ENSEMBLE, progress());
    }

    private TransferProgress progress() {
        return new TransferProgress(new PrintWriter(log), false);
    }

    private static Map<String, byte[]> releaseEntries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("ensemble_lora/adapter_config.json", CONFIG);
        entries.put("ensemble_lora/adapter_model.safetensors", randomBytes(4_000, 6));
        entries.put("clip_vitb16_pretrain.pth.tar", CLIP);
        entries.put("open_clip_vitb16_pretrain.pth.tar", OPEN_CLIP);
        entries.put("dino_vitb16_pretrain.pth", randomBytes(10_000, 7));
        return entries;
    }

    @Test
    void pullUnpacksTheZipAndFetchesTheTorchHubBackboneIntoDreamSimsLayout() throws IOException {
        server.addDownload(ZIP_PATH, zip(releaseEntries(), true));

        DreamSimStore.ReleaseFiles files = pull();

        assertEquals(cache.resolve("ensemble_lora"), files.adapter());
        assertEquals(List.of(cache.resolve("checkpoints/dino_vitbase16_pretrain.pth"),
                cache.resolve("clip_vitb16_pretrain.pth.tar"), cache.resolve("open_clip_vitb16_pretrain.pth.tar")),
                files.weights());
        assertArrayEquals(DINO, Files.readAllBytes(files.weights().get(0)));
        assertArrayEquals(CLIP, Files.readAllBytes(files.weights().get(1)));
        assertArrayEquals(OPEN_CLIP, Files.readAllBytes(files.weights().get(2)));
        assertArrayEquals(CONFIG, Files.readAllBytes(cache.resolve("ensemble_lora/adapter_config.json")));
        try (Stream<Path> left = Files.list(cache.resolve(".downloads"))) {
            assertEquals(List.of(), left.toList(), "the zip and the staging folder are gone");
        }
        assertTrue(log.toString().contains("unpacking"), log.toString());
    }

    @Test
    void secondPullDownloadsNothingAndOfflineFindsTheFiles() {
        server.addDownload(ZIP_PATH, zip(releaseEntries(), true));
        pull();
        int before = server.requests().size();

        pull();
        DreamSimStore.ReleaseFiles offline = store(true, SafeUnzip.Limits.RELEASE).pull("dreamsim", ENSEMBLE, progress());

        assertEquals(before, server.requests().size());
        assertEquals(cache.resolve("ensemble_lora"), offline.adapter());
        assertTrue(log.toString().contains("already unpacked"), log.toString());
    }

    @Test
    void brokenZipTransferIsResumedWithARangeRequest() throws IOException {
        byte[] zip = zip(releaseEntries(), false);
        server.addDownload(ZIP_PATH, zip);
        server.breakDownloadAfter(ZIP_PATH, 100_000, 2);

        pull();

        List<FakeHub.Request> gets = server.requests().stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(4, gets.size(), gets.toString()); // zip: broken, broken, rest; then the DINO file
        assertEquals(null, gets.get(0).range());
        assertEquals("bytes=100000-", gets.get(1).range());
        assertEquals("bytes=200000-", gets.get(2).range());
        assertEquals(zip.length - 200_000, gets.get(2).bytesSent());
        assertArrayEquals(CLIP, Files.readAllBytes(cache.resolve("clip_vitb16_pretrain.pth.tar")));
        assertTrue(log.toString().contains("resuming"), log.toString());
    }

    @Test
    void offlinePullOfAMissingReleaseNamesTheFileAndTheCommand() {
        PerceptException e = assertThrows(PerceptException.class,
                () -> store(true, SafeUnzip.Limits.RELEASE).pull("dreamsim", ENSEMBLE, progress()));
        assertTrue(e.getMessage().contains("ensemble_lora/adapter_config.json of dreamsim is not in the DreamSim cache"),
                e.getMessage());
        assertTrue(e.getMessage().contains("percept pull dreamsim"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void missingReleaseNamesTheUrl() {
        PerceptException e = assertThrows(PerceptException.class, this::pull);
        assertEquals("no file at " + server.downloadBase() + "/" + ZIP_PATH + " (HTTP 404); check the base URL",
                e.getMessage());
    }

    @Test
    void zipWithoutTheAdapterIsRefused() {
        Map<String, byte[]> entries = releaseEntries();
        entries.remove("ensemble_lora/adapter_config.json");
        server.addDownload(ZIP_PATH, zip(entries, true));
        PerceptException e = assertThrows(PerceptException.class, this::pull);
        assertTrue(e.getMessage().contains("holds no ensemble_lora/adapter_config.json"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("clip_vitb16_pretrain.pth.tar")));
    }

    @Test
    void aRefusedZipIsDeletedSoTheNextPullFetchesItAgain() throws IOException {
        Map<String, byte[]> entries = releaseEntries();
        entries.put("../escaped.txt", "x".getBytes(StandardCharsets.UTF_8));
        server.addDownload(ZIP_PATH, zip(entries, true));
        assertThrows(PerceptException.class, this::pull);
        try (Stream<Path> left = Files.list(cache.resolve(".downloads"))) {
            assertEquals(List.of(), left.toList());
        }

        server.addDownload(ZIP_PATH, zip(releaseEntries(), true));
        assertArrayEquals(CLIP, Files.readAllBytes(pull().weights().get(1)));
    }

    @Test
    void pathTraversalIsRefusedAndNothingLandsOutside() {
        for (String evil : List.of("../escaped.txt", "ensemble_lora/../../escaped.txt", "/tmp/absolute.txt",
                "C:/windows.txt", "ensemble_lora\\..\\..\\escaped.txt")) {
            Map<String, byte[]> entries = releaseEntries();
            entries.put(evil, "x".getBytes(StandardCharsets.UTF_8));
            PerceptException e = assertThrows(PerceptException.class, () -> unpack(zip(entries, true)), evil);
            assertTrue(e.getMessage().startsWith("refusing to unpack"), e.getMessage());
            assertTrue(e.getMessage().contains(evil), e.getMessage());
        }
        assertFalse(Files.exists(temp.resolve("escaped.txt")));
        assertFalse(Files.exists(Path.of("/tmp/absolute.txt")));
    }

    @Test
    void symlinkEntryIsRefused() {
        Map<String, byte[]> entries = releaseEntries();
        entries.put("link", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        byte[] zip = markUnixMode(zip(entries, true), "link", 0120777);
        PerceptException e = assertThrows(PerceptException.class, () -> unpack(zip));
        assertTrue(e.getMessage().contains("entry link is a symlink or another special file"), e.getMessage());
    }

    @Test
    void zipBombIsRefusedBeforeItIsWritten() {
        Map<String, byte[]> entries = releaseEntries();
        entries.put("zeros.bin", new byte[4 << 20]);
        PerceptException e = assertThrows(PerceptException.class, () -> unpack(zip(entries, true)));
        assertTrue(e.getMessage().contains("entry zeros.bin expands"), e.getMessage());
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("out/zeros.bin")));
    }

    @Test
    void entryCountAndSizesAreBounded() {
        byte[] zip = zip(releaseEntries(), true);
        assertTrue(assertThrows(PerceptException.class,
                () -> SafeUnzip.unpack(write(zip), temp.resolve("a"), new SafeUnzip.Limits(4, 1 << 20, 1 << 30, 200)))
                .getMessage().contains("has 5 entries, more than 4"));
        assertTrue(assertThrows(PerceptException.class,
                () -> SafeUnzip.unpack(write(zip), temp.resolve("b"), new SafeUnzip.Limits(10, 100_000, 1 << 30, 200)))
                .getMessage().contains("entry clip_vitb16_pretrain.pth.tar unpacks to 120000 bytes, more than 100000"));
        assertTrue(assertThrows(PerceptException.class,
                () -> SafeUnzip.unpack(write(zip), temp.resolve("c"), new SafeUnzip.Limits(10, 1 << 20, 200_000, 200)))
                .getMessage().contains("unpacks to more than"));
    }

    @Test
    void damagedEntryFailsItsCrc() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] content = randomBytes(1000, 8);
        entries.put("data.bin", content);
        byte[] zip = zip(entries, false);
        // STORED: the content follows the 30-byte local header and the name.
        zip[30 + "data.bin".length() + 500] ^= 1;
        PerceptException e = assertThrows(PerceptException.class, () -> unpack(zip));
        assertTrue(e.getMessage().contains("entry data.bin fails its CRC-32 check"), e.getMessage());
    }

    @Test
    void truncatedZipIsRefused() {
        byte[] zip = zip(releaseEntries(), true);
        byte[] cut = java.util.Arrays.copyOf(zip, zip.length / 2);
        PerceptException e = assertThrows(PerceptException.class, () -> unpack(cut));
        assertTrue(e.getMessage().startsWith("refusing to unpack"), e.getMessage());
    }

    @Test
    void settingsComeFromTheEnvironmentWithDefaults() {
        Path home = Path.of("/home/user");
        HubSettings hub = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), home);
        DreamSimSettings defaults = DreamSimSettings.fromEnvironment(Map.of(), home, hub);
        assertEquals(home.resolve(".cache/percept/dreamsim"), defaults.cacheDir());
        assertEquals(DreamSimSettings.DEFAULT_RELEASE_URL, defaults.releaseUrl().toString());
        assertEquals(DreamSimSettings.DEFAULT_BACKBONE_URL, defaults.backboneUrl().toString());
        assertTrue(defaults.offline());

        DreamSimSettings set = DreamSimSettings.fromEnvironment(Map.of("PERCEPT_DREAMSIM_CACHE", "~/models",
                "PERCEPT_DREAMSIM_URL", "http://mirror.local/dreamsim/", "PERCEPT_FBAIPUBLICFILES_URL",
                "https://fb.mirror.local", "XDG_CACHE_HOME", "/xdg"), home, hub);
        assertEquals(home.resolve("models"), set.cacheDir());
        assertEquals("http://mirror.local/dreamsim", set.releaseUrl().toString());
        assertEquals("https://fb.mirror.local", set.backboneUrl().toString());
        assertEquals(Path.of("/xdg/percept/dreamsim"),
                DreamSimSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), home, hub).cacheDir());
        assertEquals("--dreamsim-url must be an http(s) URL, got ftp://x", assertThrows(PerceptException.class,
                () -> defaults.withReleaseUrl("ftp://x")).getMessage());
    }

    private void unpack(byte[] zip) throws IOException {
        SafeUnzip.unpack(write(zip), temp.resolve("out"), SafeUnzip.Limits.RELEASE);
    }

    private Path write(byte[] zip) throws IOException {
        Path file = Files.createTempFile(temp, "test", ".zip");
        Files.write(file, zip);
        return file;
    }

    /** A zip of the entries in order, deflated or stored. */
    static byte[] zip(Map<String, byte[]> entries, boolean deflate) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Marks an entry's central directory record as made on Unix with the given file mode. */
    private static byte[] markUnixMode(byte[] zip, String name, int mode) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + 46 < zip.length; p++) {
            if (b.getInt(p) == 0x02014b50 && (b.getShort(p + 28) & 0xFFFF) == wanted.length
                    && new String(zip, p + 46, wanted.length, StandardCharsets.UTF_8).equals(name)) {
                b.put(p + 5, (byte) 3);
                b.putInt(p + 38, mode << 16);
                return zip;
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
