package dev.percept.synth;

import dev.percept.Seeds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.console.Progress;
import dev.percept.io.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The retrieval set in DeepFashion2's layout: {@code <split>/image/<nnnnnn>.jpg} and {@code
 * <split>/annos/<nnnnnn>.json} for splits train and validation. An identity is a fixed arrangement
 * of two or three objects; identities come in pairs (one {@code pair_id}, {@code style} 1 and 2)
 * that share shapes and layout and differ in every colour, so (pair_id, style) names the item.
 * The first half of an identity's views are {@code user} photos (queries: any camera, any light,
 * outdoors), the rest {@code shop} photos (gallery: near a canonical front view in a studio).
 * {@code item1.category_id} and {@code category_name} are those of the arrangement's first object;
 * {@code bounding_box} [x1, y1, x2, y2] (x2, y2 exclusive) bounds all its objects.
 */
final class RetrievalWriter {
    private RetrievalWriter() {}

    static int write(Path dir, long seed, Size size, Progress progress) {
        int train = split(dir.resolve("train"), seed, "train", size.retrievalTrain(), 0, size, progress);
        return train + split(dir.resolve("validation"), seed, "validation", size.retrievalVal(), (size.retrievalTrain() + 1) / 2,
                size, progress);
    }

    private static int split(Path root, long seed, String split, int identities, int pairBase, Size size, Progress progress) {
        SceneSampler sampler = new SceneSampler(size);
        int image = 0;
        List<SceneObject> twin = List.of();
        for (int k = 0; k < identities; k++) {
            SplittableRandom rng = Seeds.of(seed, "retrieval/" + split, k);
            List<SceneObject> objects = k % 2 == 0 ? arrangement(rng, sampler) : recoloured(rng, twin);
            twin = objects;
            double front = rng.nextDouble(0, 2 * Math.PI);
            for (int v = 0; v < size.viewsPerIdentity(); v++) {
                boolean user = v < size.viewsPerIdentity() / 2;
                Rendering r = view(rng, sampler, objects, user, front);
                image++;
                String name = String.format(Locale.ROOT, "%06d", image);
                ImageFormats.jpeg(root.resolve("image/" + name + ".jpg"), r.rgb(), r.size(), ImageFormats.DATASET_JPEG_QUALITY);
                ObjectNode anno = JsonFiles.mapper().createObjectNode();
                anno.put("source", user ? "user" : "shop");
                anno.put("pair_id", pairBase + k / 2 + 1);
                ObjectNode item = anno.putObject("item1");
                item.put("style", k % 2 + 1);
                item.put("category_id", objects.get(0).category().id());
                item.put("category_name", objects.get(0).category().label());
                int[] box = r.boundingBox();
                item.putArray("bounding_box").add(box[0]).add(box[1]).add(box[2] + 1).add(box[3] + 1);
                JsonFiles.write(root.resolve("annos/" + name + ".json"), anno);
                progress.advance(1);
            }
        }
        return image;
    }

    private static List<SceneObject> arrangement(SplittableRandom rng, SceneSampler sampler) {
        Camera centre = new Camera(7, 0, 0.6, 0, 0, 1);
        for (int attempt = 0; ; attempt++) {
            List<SceneObject> objects = new ArrayList<>();
            int count = 2 + rng.nextInt(2);
            for (int i = 0; i < count; i++) {
                SceneObject o = SceneSampler.place(rng, objects, sampler.object(rng, sampler.anyCategory(rng)), centre, 1.4);
                if (o != null) {
                    objects.add(o);
                }
            }
            if (objects.size() == count || attempt > 20) {
                return objects;
            }
        }
    }

    private static List<SceneObject> recoloured(SplittableRandom rng, List<SceneObject> objects) {
        Colour[] colours = Colour.values();
        List<SceneObject> out = new ArrayList<>();
        for (SceneObject o : objects) {
            int pick = rng.nextInt(colours.length - 1);
            out.add(o.withColour(colours[pick >= o.colour().ordinal() ? pick + 1 : pick]));
        }
        return out;
    }

    /** A view in which every object shows; user views vary freely, shop views stay near the front. */
    private static Rendering view(SplittableRandom rng, SceneSampler sampler, List<SceneObject> objects, boolean user, double front) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Scene scene;
            if (user) {
                Camera c = sampler.camera(rng, SceneSampler.Style.OUTDOOR);
                Camera near = new Camera(rng.nextDouble(5.0, 7.5), c.azimuth(), c.elevation(), c.targetX(), c.targetZ(), c.focal());
                scene = new Scene(objects, near, SceneSampler.light(rng), SceneSampler.background(rng, SceneSampler.Style.OUTDOOR));
            } else {
                Camera c = new Camera(rng.nextDouble(5.5, 6.0), front + rng.nextDouble(-0.3, 0.3), rng.nextDouble(0.55, 0.7), 0, 0,
                        sampler.focal());
                Light l = new Light(front + 0.6, 1.0, 0.7, 0.4, new double[] {1, 1, 1});
                scene = new Scene(objects, c, l, new Background(new double[] {0.85, 0.85, 0.85}, new double[] {0.92, 0.92, 0.92}));
            }
            Rendering r = sampler.visible(scene);
            if (r != null) {
                return r;
            }
        }
        throw new IllegalStateException("no view shows every object of an arrangement");
    }
}
