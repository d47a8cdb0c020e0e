package dev.percept.data.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DeepFashion2 consumer-to-shop retrieval: {@code <split>/image/<id>.jpg} with
 * {@code <split>/annos/<id>.json} ({@code source} user or shop, {@code pair_id}, and
 * {@code item1..itemN} each with a {@code style}). An item's identity is (pair_id, style) for
 * style > 0; queries are the user images showing at least one identity, the gallery every shop
 * image of the split.
 */
public final class DeepFashion2 {
    private DeepFashion2() {}

    /** Queries and gallery of one split. */
    public record Split(List<RetrievalImage> queries, List<RetrievalImage> gallery) {}

    public static Split read(Path root, String split) {
        Path annos = root.resolve(split).resolve("annos");
        List<RetrievalImage> queries = new ArrayList<>();
        List<RetrievalImage> gallery = new ArrayList<>();
        for (Path file : DatasetFiles.list(annos)) {
            if (!file.getFileName().toString().endsWith(".json")) {
                continue;
            }
            JsonNode anno = DatasetFiles.json(file);
            String source = anno.path("source").asText("");
            JsonNode pair = anno.path("pair_id");
            if (!source.equals("user") && !source.equals("shop")) {
                throw new PerceptException(file + ": \"source\" must be \"user\" or \"shop\", got " + anno.path("source"));
            }
            if (!pair.canConvertToLong()) {
                throw new PerceptException(file + ": \"pair_id\" must be a number, got " + pair);
            }
            Set<String> items = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = anno.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("item\\d+")) {
                    continue;
                }
                JsonNode style = e.getValue().path("style");
                if (!style.canConvertToLong()) {
                    throw new PerceptException(file + ": " + e.getKey() + " has no numeric \"style\"");
                }
                if (style.asLong() > 0) {
                    items.add(pair.asLong() + ":" + style.asLong());
                }
            }
            RetrievalImage image = new RetrievalImage(root.resolve(split).resolve("image")
                    .resolve(DatasetFiles.stem(file) + ".jpg"), items);
            if (source.equals("shop")) {
                gallery.add(image);
            } else if (!items.isEmpty()) {
                queries.add(image);
            }
        }
        if (queries.isEmpty() || gallery.isEmpty()) {
            throw new PerceptException(annos + " has " + queries.size() + " user queries with an item and "
                    + gallery.size() + " shop images; retrieval needs both");
        }
        DatasetFiles.requireAll(queries.stream().map(RetrievalImage::image).toList(), "the annotations in " + annos);
        DatasetFiles.requireAll(gallery.stream().map(RetrievalImage::image).toList(), "the annotations in " + annos);
        return new Split(queries, gallery);
    }
}
