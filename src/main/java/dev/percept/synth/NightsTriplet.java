package dev.percept.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One NIGHTS-like judgment: a reference scene, two variants of it that each change one attribute
 * (count, layout, colour, pose, shape or light) by a random amount, what changed ({@link
 * MidLevelJudge.Change}) and the judges' votes.
 * Every object of every image shows (variants are redrawn until they do), so what the judges
 * count and compare is in the pixels.
 */
record NightsTriplet(Rendered ref, Rendered left, Rendered right, MidLevelJudge.Change leftChange,
        MidLevelJudge.Change rightChange, int judges, int leftVotes, SceneSampler.Style style) {
    static final int MAX_OBJECTS = 8;
    /** Camera distances of the NIGHTS-like scenes: closer than the other sets', so each object shows larger. */
    static final double NEAREST = 4.0;
    static final double FARTHEST = 5.0;

    static NightsTriplet draw(SplittableRandom rng, SceneSampler sampler) {
        SceneSampler.Style style = SceneSampler.style(rng);
        Rendered ref = sampler.scene(rng, style, 1 + rng.nextInt(4), () -> sampler.anyCategory(rng));
        Variant left = visibleVariant(rng, ref.scene(), sampler);
        Variant right = visibleVariant(rng, ref.scene(), sampler);
        MidLevelJudge.Change cl = MidLevelJudge.change(ref.scene(), left.shot.scene(), left.source);
        MidLevelJudge.Change cr = MidLevelJudge.change(ref.scene(), right.shot.scene(), right.source);
        int judges = 6 + rng.nextInt(4);
        return new NightsTriplet(ref, left.shot, right.shot, cl, cr, judges,
                MidLevelJudge.leftVotes(rng, MidLevelJudge.distance(cl), MidLevelJudge.distance(cr), judges), style);
    }

    /** Whether the judges agree strongly: at most one of them dissents from the majority. */
    boolean agreed() {
        return Math.max(leftVotes, judges - leftVotes) >= judges - 1;
    }

    double leftDistance() {
        return MidLevelJudge.distance(leftChange);
    }

    double rightDistance() {
        return MidLevelJudge.distance(rightChange);
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

    /** Changes one attribute, picked uniformly, by a random amount. */
    private static Edit variant(SplittableRandom rng, Scene ref, SceneSampler sampler) {
        int attribute = rng.nextInt(MidLevelJudge.Change.ATTRIBUTES.size());
        List<SceneObject> objects = new ArrayList<>(ref.objects());
        List<Integer> source = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            source.add(i);
        }
        Camera camera = ref.camera();
        Light light = ref.light();
        switch (attribute) {
            case 0 -> {
                int delta = 1 + rng.nextInt(2);
                boolean remove = objects.size() > delta && (objects.size() + delta > MAX_OBJECTS || rng.nextBoolean());
                for (int k = 0; k < delta; k++) {
                    if (remove) {
                        int at = rng.nextInt(objects.size());
                        objects.remove(at);
                        source.remove(at);
                    } else {
                        SceneObject added = SceneSampler.place(rng, objects, sampler.object(rng, sampler.anyCategory(rng)),
                                camera, SceneSampler.layoutRadius(objects.size() + 1));
                        if (added != null) {
                            objects.add(added);
                            source.add(-1);
                        }
                    }
                }
            }
            case 1 -> {
                double radius = SceneSampler.layoutRadius(MAX_OBJECTS);
                double amount = rng.nextDouble(0.2, 1.2);
                for (int i = 0; i < objects.size(); i++) {
                    double a = rng.nextDouble(0, 2 * Math.PI);
                    SceneObject o = objects.get(i);
                    SceneObject moved = o.withPosition(o.x() + amount * StrictMath.cos(a), o.z() + amount * StrictMath.sin(a));
                    double far = Math.hypot(moved.x() - camera.targetX(), moved.z() - camera.targetZ());
                    objects.set(i, far <= radius && SceneSampler.free(moved, without(objects, i)) ? moved : o);
                }
            }
            case 2 -> {
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
            case 3 -> {
                double amount = rng.nextDouble(0.2, 1.0) * Math.PI / 4;
                for (int i = 0; i < objects.size(); i++) {
                    SceneObject o = objects.get(i);
                    objects.set(i, o.withYaw(o.yaw() + rng.nextDouble(-amount, amount)));
                }
            }
            case 4 -> {
                double share = rng.nextDouble(0.2, 1.0);
                Category[] all = Category.values();
                for (int i = 0; i < objects.size(); i++) {
                    if (rng.nextDouble() < share) {
                        SceneObject o = objects.get(i);
                        int pick = rng.nextInt(all.length - 1);
                        Category c = all[pick >= o.category().ordinal() ? pick + 1 : pick];
                        objects.set(i, new SceneObject(c, o.colour(), o.size(), o.x(), o.z(), o.yaw()));
                    }
                }
            }
            default -> {
                double turn = rng.nextDouble(0.2, 1.0) * Math.PI * (rng.nextBoolean() ? 1 : -1);
                light = new Light(light.azimuth() + turn, light.elevation(), light.intensity(), light.ambient(), light.tint());
            }
        }
        Scene scene = new Scene(objects, camera, light, ref.background());
        return new Edit(scene, source.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<SceneObject> without(List<SceneObject> objects, int index) {
        List<SceneObject> rest = new ArrayList<>(objects);
        rest.remove(index);
        return rest;
    }
}
