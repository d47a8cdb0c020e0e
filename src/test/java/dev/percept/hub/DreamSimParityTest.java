package dev.percept.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.cli.Main;
import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.embed.ModelRequest;
import dev.percept.embed.PreprocessMode;
import dev.percept.io.FloatArray;
import dev.percept.io.JsonFiles;
import dev.percept.io.Npy;
import dev.percept.model.FeatureMode;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * DreamSim's released checkpoints, rebuilt tiny in the exact release layout
 * (tools/reference/make_dreamsim_fixtures.py), pulled by name from a loopback server standing in
 * for GitHub's releases and dl.fbaipublicfiles.com, loaded as DreamSim builds them, and compared
 * with an independent PyTorch implementation written from DreamSim's code: the embedding of each
 * test image (DreamSim's embed()) and the distance of each pair (DreamSim's forward()).
 */
@Timeout(120)
class DreamSimParityTest {
    static final Path FIXTURES = Path.of("src/test/resources/dreamsim");
    static final Path IMAGES = Path.of("src/test/resources/images");
    /** float32 against a float64 reference; measured worst cases are in the printed lines. */
    static final double FEATURE_TOLERANCE = 1e-4;
    static final double DISTANCE_TOLERANCE = 1e-5;

    @TempDir
    static Path temp;

    private static FakeHub server;
    private static ModelStore store;

    @BeforeAll
    static void serve() throws IOException {
        Engine.start(2);
        server = new FakeHub();
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                server.addDownload(FIXTURES.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        URI base = server.downloadBase();
        HubSettings hub = new HubSettings(temp.resolve("hub"), server.endpoint(), false, null, Duration.ofSeconds(10));
        DreamSimSettings dreamsim = new DreamSimSettings(temp.resolve("dreamsim"), URI.create(base + "/releases"),
                URI.create(base + "/fbaipublicfiles"), false, Duration.ofSeconds(10));
        store = new ModelStore(hub, dreamsim, KnownModels.DEFAULT);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "dreamsim, dreamsim, 3",
        "dreamsim_synclr_vitb16, dreamsim, 1",
        "dreamsim_dinov2_vitb14_patch, none, 1"
    })
    void pulledByNameGivesDreamSimsEmbeddingsAndDistances(String name, String norm, int backbones) {
        store.pull(name, null, new TransferProgress(new PrintWriter(new StringWriter()), false));
        FeatureNorm normalization = ModelRequest.defaultNorm(name, KnownModels.DEFAULT);
        assertEquals(norm, normalization.toString());
        JsonNode reference = JsonFiles.readObject(FIXTURES.resolve("reference.json"));
        List<Path> images = new ArrayList<>();
        reference.get("images").forEach(n -> images.add(IMAGES.resolve(n.asText())));
        FloatArray expected = Npy.readFloats(FIXTURES.resolve(name + ".npy"));

        List<Member> members = new ModelRequest(name, null, Precision.FP32, ComputeDevice.CPU, 0, PreprocessMode.DREAMSIM, null, List.of(), null, null)
                .open(store);
        try (Embedder embedder = new Embedder(members, normalization, 2)) {
            assertEquals(backbones, members.size());
            if (name.endsWith("_patch")) {
                assertEquals(FeatureMode.DREAMSIM_PATCH, members.get(0).features());
            }
            float[] rows = embedder.embedRows(images, Progress.silent());
            int width = embedder.rowLength();
            assertEquals(expected.shape()[1], width);
            double worst = 0;
            for (int i = 0; i < rows.length; i++) {
                worst = Math.max(worst, Math.abs(rows[i] - expected.data()[i]));
            }
            double worstDistance = 0;
            JsonNode pairs = reference.get("pairs");
            JsonNode distances = reference.get("cases").get(name).get("distances");
            for (int p = 0; p < pairs.size(); p++) {
                int a = pairs.get(p).get(0).asInt();
                int b = pairs.get(p).get(1).asInt();
                double d = Embedder.cosineDistance(row(rows, a, width), row(rows, b, width));
                worstDistance = Math.max(worstDistance, Math.abs(d - distances.get(p).asDouble()));
            }
            System.out.printf(Locale.ROOT, "dreamsim parity %s: embedding max abs error %.2e, distance max abs error %.2e%n",
                    name, worst, worstDistance);
            assertTrue(worst < FEATURE_TOLERANCE, name + " embedding error " + worst);
            assertTrue(worstDistance < DISTANCE_TOLERANCE, name + " distance error " + worstDistance);
        } finally {
            members.forEach(m -> m.backbone().close());
        }
    }

    /**
     * The commands a user runs: pull with the base URLs and cache given as options, then distance
     * prints DreamSim's distance and embed writes DreamSim's embedding (with its normalisation by
     * default, recorded in the sidecar).
     */
    @Test
    void commandsPullThenPrintTheDistanceAndWriteTheEmbedding() throws IOException {
        String name = "dreamsim";
        Path cache = temp.resolve("cli-cache");
        URI base = server.downloadBase();
        assertEquals(0, run("pull", name, "--dreamsim-cache", cache.toString(), "--dreamsim-url", base + "/releases",
                "--backbone-url", base + "/fbaipublicfiles"));
        assertTrue(Files.isRegularFile(cache.resolve("checkpoints/dino_vitbase16_pretrain.pth")));

        JsonNode reference = JsonFiles.readObject(FIXTURES.resolve("reference.json"));
        List<String> images = new ArrayList<>();
        reference.get("images").forEach(n -> images.add(n.asText()));
        String printed = runCapturingStdout("distance", "--model", name, "--dreamsim-cache", cache.toString(),
                "--offline", "--precision", "fp32", IMAGES.resolve(images.get(0)).toString(),
                IMAGES.resolve(images.get(1)).toString());
        double expected = reference.get("cases").get(name).get("distances").get(0).asDouble();
        assertEquals(expected, Double.parseDouble(printed.strip()), 2e-6, printed); // printed with 6 decimals

        Path out = temp.resolve("dreamsim.npy");
        List<String> args = new ArrayList<>(List.of("embed", "--model", name, "--dreamsim-cache", cache.toString(),
                "--offline", "--precision", "fp32", "--out", out.toString()));
        images.forEach(i -> args.add(IMAGES.resolve(i).toString()));
        assertEquals(0, run(args.toArray(String[]::new)));
        FloatArray written = Npy.readFloats(out);
        FloatArray want = Npy.readFloats(FIXTURES.resolve(name + ".npy"));
        JsonNode sidecar = JsonFiles.readObject(temp.resolve("dreamsim.json"));
        assertEquals("dreamsim", sidecar.get("normalize").asText());
        int width = (int) want.shape()[1];
        for (int row = 0; row < images.size(); row++) {
            String input = Path.of(sidecar.get("inputs").get(row).asText()).getFileName().toString();
            int ref = images.indexOf(input);
            for (int k = 0; k < width; k++) {
                assertEquals(want.data()[ref * width + k], written.data()[row * width + k], FEATURE_TOLERANCE, input);
            }
        }
    }

    private static int run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertEquals(0, code, err.toString());
        return code;
    }

    private static String runCapturingStdout(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static float[] row(float[] rows, int index, int width) {
        float[] out = new float[width];
        System.arraycopy(rows, index * width, out, 0, width);
        return out;
    }
}
