package dev.percept.eval;

import dev.percept.tensor.CosineTopK;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kNN classification (DINO's protocol) on class folders or Pets; top-1 accuracy, and a gallery. */
public final class KnnTask {
    public static final String NAME = "knn";

    private KnnTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        ClassificationData d = ClassificationData.read(data, options, NAME);
        int[] yTrain = d.labels(d.train());
        int[] yTest = d.labels(d.test());
        try (FeatureMatrix xTrain = FeatureMatrix.load(source.vectors(ClassificationData.images(d.train()), "train"));
                FeatureMatrix xTest = FeatureMatrix.load(source.vectors(ClassificationData.images(d.test()), "test"))) {
            KnnClassifier.Result r = KnnClassifier.classify(xTrain, yTrain, d.classes().size(), xTest, options.k(), options.temperature());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("k", options.k());
            details.put("temperature", options.temperature());
            details.put("train", yTrain.length);
            details.put("test", yTest.length);
            details.put("classes", d.classes().size());
            return new TaskResult(NAME, data, d.splits().layout().cliName(), List.of(ClassificationMetrics.accuracy(r.predicted(), yTest)),
                    details, gallery(d, r.neighbours(), options));
        }
    }

    private static Gallery gallery(ClassificationData d, CosineTopK.Neighbours nn, TaskOptions options) {
        int k = Math.min(5, options.k());
        List<Gallery.Query> queries = new ArrayList<>();
        for (int q : Gallery.pick(d.test().size(), options.galleryQueries(), options.seed())) {
            String label = d.test().get(q).label();
            List<Gallery.Neighbour> results = new ArrayList<>();
            for (int j = 0; j < Math.min(k, nn.k()); j++) {
                var hit = d.train().get(nn.index(q, j));
                results.add(new Gallery.Neighbour(hit.image().toAbsolutePath(), hit.label(), 1 - nn.similarity(q, j),
                        hit.label().equals(label)));
            }
            queries.add(new Gallery.Query(d.test().get(q).image().toAbsolutePath(), label, results));
        }
        return new Gallery(k, queries);
    }
}
