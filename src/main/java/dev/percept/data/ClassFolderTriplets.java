package dev.percept.data;

import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Triplets drawn from an ImageNet-style folder of class folders: for every image (the reference),
 * another image of its class is the closer one (left) and an image of another class the farther
 * one (right), so every "judge" chose left. The draw is fixed by the seed.
 */
public final class ClassFolderTriplets {
    private ClassFolderTriplets() {}

    public static List<Triplet> draw(Path root, long seed) {
        LabeledImages set = LabeledImages.read(root);
        List<List<Path>> classes = set.byClass();
        List<String> names = set.classes();
        if (classes.size() < 2) {
            throw new PerceptException(root + ": class-folder triplets need at least two class folders with images, found "
                    + classes.size());
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Triplet> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> own = classes.get(c);
            if (own.size() < 2) {
                continue; // no second image of this class to be the closer one
            }
            for (int i = 0; i < own.size(); i++) {
                int j = random.nextInt(own.size() - 1);
                Path left = own.get(j >= i ? j + 1 : j);
                int other = random.nextInt(classes.size() - 1);
                List<Path> others = classes.get(other >= c ? other + 1 : other);
                Path right = others.get(random.nextInt(others.size()));
                out.add(new Triplet(own.get(i), left, right, 0.0, names.get(c), own.get(i).toString()));
            }
        }
        if (out.isEmpty()) {
            throw new PerceptException(root + ": no class folder holds two images, so no triplet can be drawn");
        }
        return out;
    }
}
