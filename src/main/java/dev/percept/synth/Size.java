package dev.percept.synth;

import dev.percept.PerceptException;
import java.util.List;

/**
 * How big a synthetic world is: image side and items per dataset. Counts per class are per
 * category; BAPPS counts are per split over all four subsets; retrieval counts identities.
 */
public record Size(
        String name,
        int imageSize,
        int nightsTrain, int nightsVal, int nightsTest,
        int bappsTrain, int bappsVal,
        int thingsTriplets, int thingsPerCategory,
        int imagenetTrain, int imagenetVal,
        int classTrain, int classVal, int classTest,
        int countTrain, int countVal, int countTest,
        int segTrain, int segVal,
        int depthTrain, int depthTest,
        int retrievalTrain, int retrievalVal, int viewsPerIdentity) {

    /** 64 px, for the demo's tiny ViT (patch 8): renders in seconds. */
    public static final Size SMALL = new Size("small", 64, 8000, 500, 1000, 600, 200, 800, 60, 100, 25, 60, 20, 20,
            600, 200, 200, 400, 150, 400, 150, 60, 40, 4);
    /** 128 px, about 3.5 times the items of {@link #SMALL}. */
    public static final Size MEDIUM = new Size("medium", 128, 5000, 1000, 1000, 2000, 600, 2800, 200, 350, 80, 200,
            70, 70, 2000, 700, 700, 1400, 500, 1400, 500, 200, 150, 4);
    /** A handful of items per set, for tests. */
    static final Size TINY = new Size("tiny", 32, 16, 4, 4, 8, 4, 6, 3, 3, 2, 2, 2, 2, 4, 2, 2, 3, 2, 3, 2, 3, 2, 4);

    /** The sizes {@code --size} accepts. */
    public static List<Size> choices() {
        return List.of(SMALL, MEDIUM);
    }

    public static Size named(String name) {
        for (Size s : choices()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new PerceptException("unknown world size '" + name + "': expected small or medium");
    }

    /** Focal length in pixels of every camera of this size (a 40 degree field of view). */
    public double focal() {
        return imageSize / 2.0 / StrictMath.tan(Math.toRadians(20));
    }

    /** Images written in all, for progress. */
    public long images() {
        int categories = Category.values().length;
        int subsets = Distortions.values().length;
        return 3L * (nightsTrain + nightsVal + nightsTest) + 3L * subsets * (bappsTrain / subsets + bappsVal / subsets)
                + (long) thingsPerCategory * categories + (long) categories * (imagenetTrain + imagenetVal)
                + (long) categories * (classTrain + classVal + classTest) + countTrain + countVal + countTest
                + segTrain + segVal + depthTrain + depthTest + (long) viewsPerIdentity * (retrievalTrain + retrievalVal);
    }
}
