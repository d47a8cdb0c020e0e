package dev.percept.align;

import dev.percept.console.Progress;
import dev.percept.data.Triplet;
import dev.percept.embed.Embedder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The features of every distinct image of some triplets, each image embedded once. */
final class TripletFeatures {
    private TripletFeatures() {}

    static Map<Path, float[]> embed(Embedder embedder, List<Triplet> triplets, Progress progress) {
        List<Path> images = Triplet.distinctImages(triplets);
        Map<Path, float[]> features = new HashMap<>();
        embedder.embed(images, (first, rows) -> {
            for (int i = 0; i < rows.length; i++) {
                features.put(images.get(first + i), rows[i]);
            }
        }, progress);
        return features;
    }
}
