package dev.percept.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A small compare.json and eval result with generated images, as `percept compare` and `percept eval rag` write them. */
final class ReportFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A label that must reach the page as text, not markup. */
    static final String HOSTILE = "<script>document.title='pwned'</script> & \"quotes\"";

    private ReportFixtures() {}

    static Path image(Path dir, String name, int hue) throws IOException {
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.getHSBColor(hue / 360f, 0.7f, 0.9f));
        g.fillRect(0, 0, 200, 150);
        g.setColor(Color.WHITE);
        g.fillOval(50 + hue % 60, 30, 80, 80);
        g.dispose();
        Path p = dir.resolve(name);
        Files.createDirectories(dir);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    static ObjectNode value(double v, double lo, double hi) {
        return JSON.createObjectNode().put("value", v).put("ci_low", lo).put("ci_high", hi);
    }

    /** Two models, two tasks (counting MAE with a significant difference, retrieval recall@1), one gallery of 2 queries x top 3. */
    static ObjectNode compare(Path images) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode models = root.putArray("models");
        models.addObject().put("name", "base").put("model", "dino_vitb16").putNull("adapter");
        models.addObject().put("name", "aligned").put("model", "dino_vitb16").put("adapter", "adapters/nights");
        ArrayNode tasks = root.putArray("tasks");
        ObjectNode counting = tasks.addObject().put("task", "counting").put("dataset", "/data/fsc147").put("metric", "mae")
                .put("higher_is_better", false);
        counting.putObject("values").<ObjectNode>set("base", value(1.2, 1.0, 1.4)).set("aligned", value(0.9, 0.8, 1.05));
        counting.put("best", "aligned");
        counting.putArray("differences").addObject().put("a", "aligned").put("b", "base").put("diff", -0.3).put("ci_low", -0.5)
                .put("ci_high", -0.1).put("p", 0.01).put("significant", true);
        ObjectNode retrieval = tasks.addObject().put("task", "retrieval").put("dataset", "/data/deepfashion2")
                .put("metric", "recall@1").put("higher_is_better", true);
        retrieval.putObject("values").<ObjectNode>set("base", value(0.41, 0.38, 0.44)).set("aligned", value(0.47, 0.44, 0.5));
        retrieval.put("best", "aligned");
        retrieval.putArray("differences").addObject().put("a", "aligned").put("b", "base").put("diff", 0.06).put("ci_low", 0.02)
                .put("ci_high", 0.1).put("p", 0.003).put("significant", true);
        ObjectNode gallery = root.putArray("galleries").addObject().put("task", "retrieval").put("dataset", "/data/deepfashion2")
                .put("k", 3);
        ArrayNode queries = gallery.putArray("queries");
        for (int q = 0; q < 2; q++) {
            ObjectNode query = queries.addObject()
                    .put("query", image(images, "query" + q + ".png", 40 * q).toAbsolutePath().toString())
                    .put("label", q == 0 ? HOSTILE : "item-" + q);
            ObjectNode results = query.putObject("results");
            for (String model : new String[] {"base", "aligned"}) {
                ArrayNode hits = results.putArray(model);
                for (int j = 0; j < 3; j++) {
                    boolean correct = model.equals("aligned") ? j == 0 : j == 2;
                    Path p = image(images, model + q + "_" + j + ".png", 40 * q + (correct ? 0 : 150 + 30 * j));
                    hits.addObject().put("path", p.toAbsolutePath().toString()).put("label", correct ? "item-" + q : "other-" + j)
                            .put("distance", 0.1 + 0.1 * j).put("correct", correct);
                }
            }
        }
        return root;
    }

    /** A `percept eval rag --out` result for the aligned model. */
    static ObjectNode rag() {
        ObjectNode root = JSON.createObjectNode().put("task", "rag").put("dataset", "/data/vtab/dtd").put("model", "dino_vitb16")
                .put("adapter", "adapters/nights").put("features", "cls")
                .put("setting", "vote, k=3");
        ObjectNode accuracy = root.putObject("metrics").putObject("accuracy");
        accuracy.put("value", 0.62).put("ci_low", 0.58).put("ci_high", 0.66).put("higher_is_better", true);
        root.putArray("per_seed");
        root.put("unparsed", 0);
        return root;
    }

    static Path write(Path file, ObjectNode node) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), node);
        return file;
    }
}
