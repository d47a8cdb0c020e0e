package dev.percept.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.model.Backbone;
import dev.percept.model.FeatureMode;
import dev.percept.model.MlpHead;
import dev.percept.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/**
 * Tensors are made in one place, {@link Placement}, and what meets a model's weights follows the
 * model to its device. No GPU is needed: libtorch's "meta" device (shapes, no data) stands in for
 * one, so anything left on the CPU shows.
 */
class PlacementTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path FACTORY = SOURCES.resolve("dev/percept/tensor/Placement.java");
    /** libtorch's tensor factories as the presets spell them, and the raw options and devices they take. */
    private static final Pattern MAKES_TENSORS = Pattern.compile("\\btorch\\.(zeros|ones|empty|empty_strided|full|eye|arange"
            + "|linspace|logspace|rand|randn|randint|randperm|normal|bernoulli|tensor|scalar_tensor|from_blob"
            + "|zeros_like|ones_like|empty_like|full_like|rand_like|randn_like|randint_like)\\(|new TensorOptions\\(|new Device\\(");

    @Test
    void onlyPlacementCallsTensorFactories() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (f.equals(FACTORY) || f.endsWith("tensor/ComputeDevice.java")) {
                    continue; // the factory itself, and the enum that names libtorch's devices
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (MAKES_TENSORS.matcher(lines.get(i)).find()) {
                        found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "tensors made outside Placement (make them with a Placement):\n" + String.join("\n", found));
        // The pattern does see the factory calls where they are allowed.
        assertTrue(Files.readAllLines(FACTORY).stream().filter(l -> MAKES_TENSORS.matcher(l).find()).count() >= 6);
    }

    @Test
    void loraHeadsClassifierAndAdamStateFollowTheModelsDevice() {
        Engine.start(1);
        try (Backbone model = ModelLoader.load(Path.of("src/test/resources/parity/dino_timm/model"), null,
                Precision.BF16, ComputeDevice.META);
                PointerScope scope = new PointerScope()) {
            var vit = model.transformer();
            assertEquals(new Placement(ComputeDevice.META, ScalarType.BFloat16), vit.placement());
            int dim = vit.config().featureDim(FeatureMode.CLS);
            Parameters lora = vit.attachLora("blocks.0.attn.qkv", 4, 2.0, 0.1);
            MlpHead head = MlpHead.initial(model.placement(), FeatureMode.CLS, dim, 8);
            model.attachHead(head, FeatureMode.CLS);
            try (LinearClassifier classifier = new LinearClassifier(model.placement(), dim, 3);
                    Adam adam = new Adam(Parameters.concat(List.of(lora, head.parameters(), classifier.parameters())), 0.9, 0.999, 0.01)) {
                // libtorch's C++ build has meta kernels for few operators (not the patch convolution,
                // not relu), so nothing is computed here: what is checked is where things are made.
                List<Tensor> params = adam.parameters().tensors();
                for (int i = 0; i < params.size(); i++) {
                    String name = adam.parameters().names().get(i);
                    assertOnMeta(params.get(i), ScalarType.Float, name);
                    assertOnMeta(adam.firstMoments().get(i), ScalarType.Float, name + " first moment");
                    assertOnMeta(adam.secondMoments().get(i), ScalarType.Float, name + " second moment");
                }
                assertEquals(2 + 4 + 2, params.size());
            }
        }
    }

    private static void assertOnMeta(Tensor t, ScalarType type, String what) {
        assertTrue(t.defined(), what + " is undefined");
        assertEquals("meta", t.device().str().getString(), what + " device");
        assertEquals(type, t.scalar_type().intern(), what + " dtype");
    }
}
