package dev.percept.eval;

import dev.percept.data.downstream.DeepFashion2;
import dev.percept.data.downstream.DownstreamLayout;
import dev.percept.data.downstream.RetrievalImage;
import dev.percept.tensor.CosineTopK;
import dev.percept.tensor.FeatureMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instance retrieval (DeepFashion2 consumer-to-shop): user queries against the shop gallery by
 * cosine similarity, no training; recall@1, 3, 5, and a gallery of a few queries.
 */
public final class RetrievalTask {
    public static final String NAME = "retrieval";

    private RetrievalTask() {}

    public static TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        DatasetSplits splits = DatasetSplits.of(data, options, NAME, DownstreamLayout.Kind.RETRIEVAL);
        DeepFashion2.Split split = DeepFashion2.read(data, splits.test());
        int maxK = RetrievalMetrics.KS[RetrievalMetrics.KS.length - 1];
        try (FeatureMatrix queries = FeatureMatrix.load(source.vectors(images(split.queries()), "queries"));
                FeatureMatrix gallery = FeatureMatrix.load(source.vectors(images(split.gallery()), "gallery"))) {
            CosineTopK.Neighbours nn = CosineTopK.search(queries, gallery, maxK);
            List<Set<String>> queryItems = split.queries().stream().map(RetrievalImage::items).toList();
            List<Set<String>> galleryItems = split.gallery().stream().map(RetrievalImage::items).toList();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("queries", split.queries().size());
            details.put("gallery", split.gallery().size());
            return new TaskResult(NAME, data, splits.layout().cliName(), RetrievalMetrics.metrics(nn.indexRows(), queryItems, galleryItems),
                    details, gallery(split, nn, maxK, options));
        }
    }

    private static Gallery gallery(DeepFashion2.Split split, CosineTopK.Neighbours nn, int k, TaskOptions options) {
        List<Gallery.Query> queries = new ArrayList<>();
        for (int q : Gallery.pick(split.queries().size(), options.galleryQueries(), options.seed())) {
            RetrievalImage query = split.queries().get(q);
            List<Gallery.Neighbour> results = new ArrayList<>();
            for (int j = 0; j < nn.k(); j++) {
                RetrievalImage hit = split.gallery().get(nn.index(q, j));
                results.add(new Gallery.Neighbour(hit.image().toAbsolutePath(), String.join(",", new java.util.TreeSet<>(hit.items())),
                        1 - nn.similarity(q, j), !Collections.disjoint(query.items(), hit.items())));
            }
            queries.add(new Gallery.Query(query.image().toAbsolutePath(), String.join(",", new java.util.TreeSet<>(query.items())), results));
        }
        return new Gallery(k, queries);
    }

    private static List<Path> images(List<RetrievalImage> items) {
        return items.stream().map(RetrievalImage::image).toList();
    }
}
