package dev.percept.synth;

import dev.percept.Seeds;
import dev.percept.console.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Class folders ({@code <split>/<category>/<nnnn>.png}, ImageNet's layout): scenes of one or two
 * objects of a single category, any colour, pose, camera, light and background.
 */
final class ClassFolderWriter {
    private ClassFolderWriter() {}

    /** Writes {@code perClass[k]} images per category into split {@code splits[k]}; returns the image count. */
    static int write(Path root, long seed, String stream, String[] splits, int[] perClass, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        int written = 0;
        for (int k = 0; k < splits.length; k++) {
            for (Category category : Category.values()) {
                for (int i = 0; i < perClass[k]; i++) {
                    SplittableRandom rng = Seeds.of(seed, stream + "/" + splits[k] + "/" + category.label(), i);
                    Rendered scene = singleCategory(rng, sampler, category, 1 + (rng.nextInt(4) == 0 ? 1 : 0));
                    ImageFormats.png(root.resolve(splits[k] + "/" + category.label() + "/" + String.format(Locale.ROOT, "%04d.png", i)),
                            scene.rendering().rgb(), size.imageSize());
                    progress.advance(1);
                    written++;
                }
            }
        }
        return written;
    }

    static Rendered singleCategory(SplittableRandom rng, SceneSampler sampler, Category category, int count) {
        return sampler.scene(rng, SceneSampler.style(rng), count, () -> category);
    }
}
