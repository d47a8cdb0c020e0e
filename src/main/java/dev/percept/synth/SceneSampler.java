package dev.percept.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Random scenes. Objects stand on the ground without overlapping, inside a disc around the
 * camera's target; a scene is kept only when every object shows at least a few pixels, so the
 * number of objects is the number a viewer can count.
 */
final class SceneSampler {
    static final double MIN_SIZE = 0.25;
    static final double MAX_SIZE = 0.55;
    private static final int ATTEMPTS = 200;

    /** The two looks of a scene (NIGHTS' is_imagenet groups): a plain studio, and grass under a blue sky. */
    enum Style {
        STUDIO, OUTDOOR
    }

    private final Size size;
    private final double nearest;
    private final double farthest;

    SceneSampler(Size size) {
        this(size, 6.5, 8.0);
    }

    /** A sampler whose cameras stand {@code nearest} to {@code farthest} metres from their target. */
    SceneSampler(Size size, double nearest, double farthest) {
        this.size = size;
        this.nearest = nearest;
        this.farthest = farthest;
    }

    int imageSize() {
        return size.imageSize();
    }

    double focal() {
        return size.focal();
    }

    /** Pixels an object must show to count as visible (10 at 64 px). */
    int minVisible() {
        return Math.max(4, size.imageSize() * size.imageSize() * 10 / 4096);
    }

    static Style style(SplittableRandom rng) {
        return rng.nextBoolean() ? Style.STUDIO : Style.OUTDOOR;
    }

    /** A scene in either style of 1 to {@code maxObjects} objects of any categories, every object visible. */
    Rendered any(SplittableRandom rng, int maxObjects) {
        Style style = style(rng);
        return scene(rng, style, 1 + rng.nextInt(maxObjects), () -> anyCategory(rng));
    }

    /** A scene of {@code count} objects whose categories come from {@code categories}, every object visible. */
    Rendered scene(SplittableRandom rng, Style style, int count, Supplier<Category> categories) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Camera camera = camera(rng, style);
            List<SceneObject> objects = new ArrayList<>();
            double radius = layoutRadius(count);
            for (int i = 0; i < count; i++) {
                SceneObject o = place(rng, objects, object(rng, categories.get()), camera, radius);
                if (o == null) {
                    break;
                }
                objects.add(o);
            }
            if (objects.size() < count) {
                continue;
            }
            Scene scene = new Scene(objects, camera, light(rng), background(rng, style));
            Rendering rendering = visible(scene);
            if (rendering != null) {
                return new Rendered(scene, rendering);
            }
        }
        throw new IllegalStateException("no scene with " + count + " visible objects after " + ATTEMPTS + " attempts");
    }

    /** The rendering of {@code scene} if every object in it is visible, else null. */
    Rendering visible(Scene scene) {
        Rendering r = Renderer.render(scene, size.imageSize());
        for (int v : r.visiblePixels(scene.objects().size())) {
            if (v < minVisible()) {
                return null;
            }
        }
        return r;
    }

    static double layoutRadius(int count) {
        return Math.min(2.2, 0.6 + 0.25 * count);
    }

    SceneObject object(SplittableRandom rng, Category category) {
        Colour[] colours = Colour.values();
        return new SceneObject(category, colours[rng.nextInt(colours.length)], rng.nextDouble(MIN_SIZE, MAX_SIZE), 0, 0,
                rng.nextDouble(0, 2 * Math.PI));
    }

    Category anyCategory(SplittableRandom rng) {
        Category[] all = Category.values();
        return all[rng.nextInt(all.length)];
    }

    /** {@code o} moved to a free spot within {@code radius} of the target, or null when none is found. */
    static SceneObject place(SplittableRandom rng, List<SceneObject> others, SceneObject o, Camera camera, double radius) {
        for (int attempt = 0; attempt < 50; attempt++) {
            double a = rng.nextDouble(0, 2 * Math.PI);
            double r = radius * Math.sqrt(rng.nextDouble());
            SceneObject moved = o.withPosition(camera.targetX() + r * StrictMath.cos(a), camera.targetZ() + r * StrictMath.sin(a));
            if (free(moved, others)) {
                return moved;
            }
        }
        return null;
    }

    /** Whether {@code o}'s footprint keeps clear of every other object's. */
    static boolean free(SceneObject o, List<SceneObject> others) {
        for (SceneObject p : others) {
            if (p == o) {
                continue;
            }
            double dx = o.x() - p.x();
            double dz = o.z() - p.z();
            double gap = 1.45 * (o.size() + p.size()) + 0.05;
            if (dx * dx + dz * dz < gap * gap) {
                return false;
            }
        }
        return true;
    }

    Camera camera(SplittableRandom rng, Style style) {
        double elevation = style == Style.STUDIO ? rng.nextDouble(0.55, 0.95) : rng.nextDouble(0.35, 0.7);
        return new Camera(rng.nextDouble(nearest, farthest), rng.nextDouble(0, 2 * Math.PI), elevation,
                rng.nextDouble(-0.3, 0.3), rng.nextDouble(-0.3, 0.3), focal());
    }

    static Light light(SplittableRandom rng) {
        double warmth = rng.nextDouble(-0.12, 0.12);
        return new Light(rng.nextDouble(0, 2 * Math.PI), rng.nextDouble(0.5, 1.2), rng.nextDouble(0.55, 0.8),
                rng.nextDouble(0.3, 0.45), new double[] {1 + warmth, 1, 1 - warmth});
    }

    static Background background(SplittableRandom rng, Style style) {
        if (style == Style.STUDIO) {
            double g = rng.nextDouble(0.55, 0.85);
            double hue = rng.nextDouble(-0.06, 0.06);
            double[] ground = {g + hue, g, g - hue};
            return new Background(ground, new double[] {g * 0.9 + 0.1, g * 0.9 + 0.1, g * 0.9 + 0.1});
        }
        double[][] grounds = {{0.35, 0.55, 0.25}, {0.55, 0.45, 0.3}, {0.75, 0.68, 0.5}, {0.45, 0.5, 0.45}};
        double[] base = grounds[rng.nextInt(grounds.length)];
        double v = rng.nextDouble(0.85, 1.15);
        double[] ground = {base[0] * v, base[1] * v, base[2] * v};
        double s = rng.nextDouble(0.0, 0.15);
        return new Background(ground, new double[] {0.55 + s, 0.72 + s, 0.95});
    }

    /** A short caption, e.g. "two red cubes and a blue sphere on grass". */
    static String describe(Scene scene, Style style) {
        List<String> groups = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            String key = o.colour().label() + " " + o.category().label();
            int at = keys.indexOf(key);
            if (at < 0) {
                keys.add(key);
                counts.add(1);
            } else {
                counts.set(at, counts.get(at) + 1);
            }
        }
        String[] numbers = {"", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
        for (int i = 0; i < keys.size(); i++) {
            int n = counts.get(i);
            String number = n == 1 && "aeiou".indexOf(keys.get(i).charAt(0)) >= 0 ? "an"
                    : n < numbers.length ? numbers[n] : Integer.toString(n);
            groups.add(number + " " + keys.get(i) + (n > 1 ? (keys.get(i).endsWith("torus") ? "es" : "s") : ""));
        }
        String list = groups.size() == 1 ? groups.get(0)
                : String.join(", ", groups.subList(0, groups.size() - 1)) + " and " + groups.get(groups.size() - 1);
        return list + (style == Style.STUDIO ? " in a studio" : " on open ground");
    }
}
