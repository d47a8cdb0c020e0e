package dev.percept.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.embed.PreprocessMode;
import dev.percept.io.JsonFiles;
import dev.percept.model.FeatureMode;
import dev.percept.model.VitConfig.Activation;
import dev.percept.tensor.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed settings of a run and its config.json, which runs written before the types still resume from. */
class AlignConfigTest {
    @TempDir
    Path dir;

    /** A config.json as runs wrote it before the settings were typed (and before checkpoint_key). */
    private static final String EARLIER_RUN = """
            {"model": "dino_vitb16", "features": "cls_patch", "precision": "bf16", "image_size": 0, "preprocess": "upstream",
             "activation": "quick_gelu", "data": "nights", "split": "train", "val": null, "val_fraction": 0.1,
             "max_triplets": 1200, "lora": {"r": 16, "alpha": 32.0, "dropout": 0.2, "targets": ["qkv"]},
             "lr": 3.0E-4, "beta1": 0.5, "beta2": 0.999, "weight_decay": 0.0, "batch": 32, "accumulate": 1, "epochs": 8,
             "margin": 0.05, "seed": 1234, "method": "lora", "head_hidden": 512}""";

    @Test
    void aConfigOfAnEarlierRunReadsIntoTypesAndMatchesTheSameCommandToday() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, EARLIER_RUN);
        AlignConfig read = AlignConfig.read(file);
        assertEquals(FeatureMode.CLS_PATCH, read.model().features());
        assertEquals(Precision.BF16, read.model().precision());
        assertEquals(PreprocessMode.UPSTREAM, read.model().preprocess());
        assertEquals(Activation.QUICK_GELU, read.model().activation());
        assertNull(read.model().checkpointKey());
        assertEquals(AlignConfig.Method.LORA, read.method());
        assertEquals(1200, read.triplets().maxTriplets());
        assertEquals(new AlignConfig.Schedule(32, 1, 8, 1234), read.schedule());

        AlignConfig today = new AlignConfig(
                new AlignConfig.Model("dino_vitb16", FeatureMode.CLS_PATCH, Precision.BF16, 0, PreprocessMode.UPSTREAM,
                        Activation.QUICK_GELU, null),
                AlignConfig.Triplets.of(Path.of("nights"), 1200), AlignConfig.Method.LORA, LoraSpec.singleDefault(), 512,
                AlignConfig.Optimizer.dreamsim(3e-4), AlignConfig.MARGIN, new AlignConfig.Schedule(32, 1, 8, 1234));
        assertEquals(List.of(), read.differences(today), "--resume accepts the run");
        assertEquals(List.of("epochs: 8 -> 6"), read.differences(new AlignConfig(today.model(), today.triplets(), today.method(),
                today.lora(), 512, today.optimizer(), today.margin(), new AlignConfig.Schedule(32, 1, 6, 1234))));

        JsonFiles.write(file, today.toJson()); // and what is written now reads back the same
        assertEquals(today, AlignConfig.read(file));
    }

    @Test
    void aMistypedValueIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, EARLIER_RUN.replace("\"method\": \"lora\"", "\"method\": \"lorra\""));
        PerceptException e = assertThrows(PerceptException.class, () -> AlignConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains("lorra"), e.getMessage());
    }
}
