package dev.percept.synth;

import dev.percept.Seeds;
import dev.percept.console.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The THINGS-like odd-one-out set: {@code images/<category>/<nnnn>.png} (one to three objects of
 * one category) and {@code triplets.txt}, lines {@code im1 im2 im3} where im1 and im2 share a
 * category and im3, of another category, is the odd one out.
 */
final class ThingsWriter {
    private ThingsWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        int pool = size.thingsPerCategory();
        for (Category category : Category.values()) {
            for (int i = 0; i < pool; i++) {
                SplittableRandom rng = Seeds.of(seed, "things/" + category.label(), i);
                Rendered scene = ClassFolderWriter.singleCategory(rng, sampler, category, 1 + rng.nextInt(3));
                ImageFormats.png(dir.resolve(image(category, i)), scene.rendering().rgb(), size.imageSize());
                progress.advance(1);
            }
        }
        SplittableRandom rng = Seeds.of(seed, "things/triplets", 0);
        Category[] all = Category.values();
        StringBuilder lines = new StringBuilder("# im1 im2 im3: im1 and im2 share a category, im3 is the odd one out\n");
        for (int t = 0; t < size.thingsTriplets(); t++) {
            Category same = all[rng.nextInt(all.length)];
            int o = rng.nextInt(all.length - 1);
            Category odd = all[o >= same.ordinal() ? o + 1 : o];
            int a = rng.nextInt(pool);
            int b = rng.nextInt(pool - 1);
            lines.append(image(same, a)).append(' ').append(image(same, b >= a ? b + 1 : b)).append(' ')
                    .append(image(odd, rng.nextInt(pool))).append('\n');
        }
        TextFile.write(dir.resolve("triplets.txt"), lines);
        return size.thingsTriplets();
    }

    private static String image(Category category, int i) {
        return "images/" + category.label() + "/" + String.format(Locale.ROOT, "%04d.png", i);
    }
}
