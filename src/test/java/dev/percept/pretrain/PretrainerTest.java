package dev.percept.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.cli.Main;
import dev.percept.io.JsonFiles;
import dev.percept.io.Safetensors;
import dev.percept.model.Backbone;
import dev.percept.model.ModelLoader;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept pretrain` writes a model folder the loaders take, and the same seed gives the same bytes. */
class PretrainerTest {
    @TempDir
    Path dir;

    private void classFolders(Path root) throws IOException {
        classFolders(root, Map.of("disc", 4, "square", 4), Map.of("disc", 2, "square", 2));
    }

    /** Coloured discs and squares at random places: {@code train} and {@code val} images per shape. */
    private void classFolders(Path root, Map<String, Integer> train, Map<String, Integer> val) throws IOException {
        Random random = new Random(5);
        for (String shape : new String[] {"disc", "square"}) {
            Path folder = Files.createDirectories(root.resolve("train").resolve(shape));
            Files.createDirectories(root.resolve("val").resolve(shape));
            for (int i = 0; i < train.get(shape) + val.get(shape); i++) {
                BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(Color.getHSBColor(random.nextFloat(), 0.8f, 0.9f));
                int x = random.nextInt(30);
                int y = random.nextInt(30);
                if (shape.equals("disc")) {
                    g.fillOval(x, y, 24, 24);
                } else {
                    g.fillRect(x, y, 24, 24);
                }
                g.dispose();
                ImageIO.write(image, "png", (i < train.get(shape) ? folder : root.resolve("val").resolve(shape)).resolve(i + ".png").toFile());
            }
        }
    }

    @Test
    void writesALoadableStandInAndReproducesItsWeights() throws IOException {
        Engine.start(2);
        Path data = dir.resolve("data");
        classFolders(data);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Pretrainer.Result r = Pretrainer.run(new Pretrainer.Options(data, dir.resolve("a"), 3, 2, 1e-3, 7, false, 60), quiet);
        Pretrainer.run(new Pretrainer.Options(data, dir.resolve("b"), 3, 2, 1e-3, 7, false, 60), quiet);
        assertEquals(1_223_040, r.parameters());
        assertTrue(Double.isFinite(r.finalLoss()));
        // 8 training images, so all 8 vote: 4 to 4, a tie, which goes to the lower class (disc) for every
        // image; 2 of the 4 validation images are discs.
        assertEquals(0.5, r.validation().metric("accuracy").value());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/model.safetensors")), Files.readAllBytes(dir.resolve("b/model.safetensors")));
        try (Backbone model = ModelLoader.load(dir.resolve("a"), null, Precision.FP32, ComputeDevice.CPU)) {
            assertEquals("timm", model.layout());
            assertEquals(StandIn.WIDTH, model.config().hidden());
            assertEquals(StandIn.IMAGE, model.input().size());
        }
    }

    @Test
    void aKilledPretrainingResumesToTheSameWeights() throws IOException, InterruptedException {
        Engine.start(2);
        Path data = dir.resolve("data");
        classFolders(data);
        Path killed = dir.resolve("killed");
        List<String> args = List.of("pretrain", "--data", data.toString(), "--out", killed.toString(), "--steps", "150",
                "--per-class", "2", "--threads", "2", "--checkpoint-every", "0");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process job = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("job.log").toFile()).start();
        Path checkpoint = killed.resolve(Pretrainer.CHECKPOINT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (savedStep(checkpoint) < 20 && job.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(job.isAlive(), "the job ended before it could be killed: " + Files.readString(dir.resolve("job.log")));
        job.destroyForcibly().waitFor();
        assertTrue(savedStep(checkpoint) >= 20 && !Files.exists(killed.resolve("model.safetensors")));

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        PerceptException refused = assertThrows(PerceptException.class,
                () -> Pretrainer.run(new Pretrainer.Options(data, killed, 150, 2, 1e-3, 1234, false, 0), quiet));
        assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        Pretrainer.run(new Pretrainer.Options(data, killed, 150, 2, 1e-3, 1234, true, 0), quiet);
        Pretrainer.run(new Pretrainer.Options(data, dir.resolve("whole"), 150, 2, 1e-3, 1234, false, 60), quiet);
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole/model.safetensors")),
                Files.readAllBytes(killed.resolve("model.safetensors")));
        assertFalse(Files.exists(checkpoint), "the checkpoint goes once the model is written");
    }

    private static long savedStep(Path checkpoint) {
        try {
            return Long.parseLong(Safetensors.read(checkpoint).metadata().get("step"));
        } catch (RuntimeException e) {
            return 0; // not written yet
        }
    }

    @Test
    void oneCategoryIsRefused() throws IOException {
        Path data = dir.resolve("one");
        Files.createDirectories(data.resolve("only"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", data.resolve("only/0.png").toFile());
        PerceptException e = assertThrows(PerceptException.class,
                () -> Pretrainer.run(new Pretrainer.Options(data, dir.resolve("x"), 1, 2, 1e-3, 1, false, 60), System.out));
        assertTrue(e.getMessage().contains("two class folders"), e.getMessage());
    }

    @Test
    void theKnnCheckIsAResultInTheCommonSchema() throws IOException {
        Engine.start(2);
        Path data = dir.resolve("data");
        // 11 training discs and 1 square: among any 10 nearest at most one square votes, so every validation
        // image is called a disc, whatever the features: 3 of the 4 validation images are discs.
        classFolders(data, Map.of("disc", 11, "square", 1), Map.of("disc", 3, "square", 1));
        Path out = dir.resolve("standin");
        Pretrainer.Result r = Pretrainer.run(new Pretrainer.Options(data, out, 2, 1, 1e-3, 3, false, 60),
                new PrintStream(new ByteArrayOutputStream()));
        JsonNode json = JsonFiles.readObject(out.resolve(Pretrainer.VALIDATION));
        assertEquals("knn", json.get("task").asText());
        assertEquals(data.resolve("val").toString(), json.get("dataset").asText());
        assertEquals(out.toString(), json.get("model").asText());
        assertEquals(0.75, json.get("metrics").get("accuracy").get("value").asDouble());
        assertEquals(4, json.get("metrics").get("accuracy").get("n").asInt());
        assertEquals(10, json.get("details").get("k").asInt());
        assertEquals(0.75, r.validation().metric("accuracy").value());
    }
}
