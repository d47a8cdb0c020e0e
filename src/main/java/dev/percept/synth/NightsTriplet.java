package dev.percept.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One NIGHTS-like judgment: a reference scene, two variants of it changing count, layout, colour
 * and pose by different amounts, their {@link MidLevelJudge} distances and the judges' votes.
 * Every object of every image shows (variants are redrawn until they do), so what the judges
 * count and compare is in the pixels.
 */
record NightsTriplet(Rendered ref, Rendered left, Rendered right, double leftDistance, double rightDistance, int judges,
        int leftVotes, SceneSampler.Style style) {
    static final int MAX_OBJECTS = 8;

    static NightsTriplet draw(SplittableRandom rng, SceneSampler sampler) {
        SceneSampler.Style style = SceneSampler.style(rng);
        Rendered ref = sampler.scene(rng, style, 1 + rng.nextInt(6), () -> sampler.anyCategory(rng));
        Variant left = visibleVariant(rng, ref.scene(), sampler);
        Variant right = visibleVariant(rng, ref.scene(), sampler);
        double dl = MidLevelJudge.distance(ref.scene().objects(), left.shot.scene().objects(), left.source);
        double dr = MidLevelJudge.distance(ref.scene().objects(), right.shot.scene().objects(), right.source);
        int judges = 5 + rng.nextInt(5);
        return new NightsTriplet(ref, left.shot, right.shot, dl, dr, judges, MidLevelJudge.leftVotes(rng, dl, dr, judges),
                style);
    }

    /** A variant's scene; {@code source[i]}: the reference object object i came from, -1 if added. */
    private record Edit(Scene scene, int[] source) {}

    private record Variant(Rendered shot, int[] source) {}

    private static Variant visibleVariant(SplittableRandom rng, Scene ref, SceneSampler sampler) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Edit e = variant(rng, ref, sampler);
            Rendering r = sampler.visible(e.scene);
            if (r != null) {
                return new Variant(new Rendered(e.scene, r), e.source);
            }
        }
        throw new IllegalStateException("no variant keeps every object visible after 100 attempts");
    }

    /** Changes a random non-empty subset of count, layout, colour and pose, each by a random amount. */
    private static Edit variant(SplittableRandom rng, Scene ref, SceneSampler sampler) {
        boolean[] change = new boolean[4];
        while (!(change[0] || change[1] || change[2] || change[3])) {
            for (int k = 0; k < 4; k++) {
                change[k] = rng.nextDouble() < 0.5;
            }
        }
        List<SceneObject> objects = new ArrayList<>(ref.objects());
        List<Integer> source = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            source.add(i);
        }
        Camera camera = ref.camera();
        double radius = SceneSampler.layoutRadius(MAX_OBJECTS);
        if (change[1]) {
            double amount = rng.nextDouble(0.1, 1.2);
            for (int i = 0; i < objects.size(); i++) {
                double a = rng.nextDouble(0, 2 * Math.PI);
                SceneObject o = objects.get(i);
                SceneObject moved = o.withPosition(o.x() + amount * StrictMath.cos(a), o.z() + amount * StrictMath.sin(a));
                double far = Math.hypot(moved.x() - camera.targetX(), moved.z() - camera.targetZ());
                objects.set(i, far <= radius && SceneSampler.free(moved, without(objects, i)) ? moved : o);
            }
        }
        if (change[2]) {
            double share = rng.nextDouble(0.2, 1.0);
            Colour[] colours = Colour.values();
            for (int i = 0; i < objects.size(); i++) {
                if (rng.nextDouble() < share) {
                    Colour c = objects.get(i).colour();
                    int pick = rng.nextInt(colours.length - 1);
                    objects.set(i, objects.get(i).withColour(colours[pick >= c.ordinal() ? pick + 1 : pick]));
                }
            }
        }
        if (change[3]) {
            double amount = rng.nextDouble(0.1, 1.0) * Math.PI / 4;
            for (int i = 0; i < objects.size(); i++) {
                SceneObject o = objects.get(i);
                objects.set(i, o.withYaw(o.yaw() + rng.nextDouble(-amount, amount)));
            }
        }
        if (change[0]) {
            int delta = 1 + rng.nextInt(2);
            boolean remove = objects.size() > delta && (objects.size() + delta > MAX_OBJECTS || rng.nextBoolean());
            for (int k = 0; k < delta; k++) {
                if (remove) {
                    int at = rng.nextInt(objects.size());
                    objects.remove(at);
                    source.remove(at);
                } else {
                    SceneObject added = SceneSampler.place(rng, objects, sampler.object(rng, sampler.anyCategory(rng)), camera,
                            SceneSampler.layoutRadius(objects.size() + 1));
                    if (added != null) {
                        objects.add(added);
                        source.add(-1);
                    }
                }
            }
        }
        return new Edit(ref.withObjects(objects), source.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<SceneObject> without(List<SceneObject> objects, int index) {
        List<SceneObject> rest = new ArrayList<>(objects);
        rest.remove(index);
        return rest;
    }
}
