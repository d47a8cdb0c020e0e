package dev.percept.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
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
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `percept pretrain` writes a model folder the loaders take, and the same seed gives the same bytes. */
class PretrainerTest {
    @TempDir
    Path dir;

    private void classFolders(Path root) throws IOException {
        Random random = new Random(5);
        for (String shape : new String[] {"disc", "square"}) {
            Path folder = Files.createDirectories(root.resolve("train").resolve(shape));
            Files.createDirectories(root.resolve("val").resolve(shape));
            for (int i = 0; i < 6; i++) {
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
                ImageIO.write(image, "png", (i < 4 ? folder : root.resolve("val").resolve(shape)).resolve(i + ".png").toFile());
            }
        }
    }

    @Test
    void writesALoadableStandInAndReproducesItsWeights() throws IOException {
        Engine.start(2);
        Path data = dir.resolve("data");
        classFolders(data);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Pretrainer.Result r = Pretrainer.run(new Pretrainer.Options(data, dir.resolve("a"), 3, 2, 1e-3, 7), quiet);
        Pretrainer.run(new Pretrainer.Options(data, dir.resolve("b"), 3, 2, 1e-3, 7), quiet);
        assertEquals(1_223_040, r.parameters());
        assertTrue(Double.isFinite(r.finalLoss()) && r.valKnnAccuracy() >= 0 && r.valKnnAccuracy() <= 1);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/model.safetensors")), Files.readAllBytes(dir.resolve("b/model.safetensors")));
        try (Backbone model = ModelLoader.load(dir.resolve("a"), null, Precision.FP32, ComputeDevice.CPU)) {
            assertEquals("timm", model.layout());
            assertEquals(StandIn.WIDTH, model.config().hidden());
            assertEquals(StandIn.IMAGE, model.input().size());
        }
    }

    @Test
    void oneCategoryIsRefused() throws IOException {
        Path data = dir.resolve("one");
        Files.createDirectories(data.resolve("only"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", data.resolve("only/0.png").toFile());
        PerceptException e = assertThrows(PerceptException.class,
                () -> Pretrainer.run(new Pretrainer.Options(data, dir.resolve("x"), 1, 2, 1e-3, 1), System.out));
        assertTrue(e.getMessage().contains("two class folders"), e.getMessage());
    }
}
