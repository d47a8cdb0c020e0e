package dev.percept.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.io.JsonFiles;
import dev.percept.search.Hit;
import dev.percept.search.IndexSchema;
import dev.percept.search.QueryModel;
import dev.percept.search.SearchIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = "The images of an index nearest to each query (an image file, or the path of an indexed image).")
final class SearchCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "INDEX", description = "Index folder written by `percept index`.")
    Path index;

    @Option(names = "--k", defaultValue = "10", paramLabel = "K", description = "Results per query. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--under", paramLabel = "FOLDER", description = "Only images under this folder.")
    Path under;

    @Option(names = "--json", description = "Print JSON: {\"queries\": [{\"query\", \"results\": [{\"path\", \"distance\"}]}]}.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "Image files, or paths of indexed images.")
    List<Path> queries;

    @Override
    public Integer call() {
        try (SearchIndex searchIndex = SearchIndex.open(index);
                QueryModel model = new QueryModel(searchIndex, new ModelStore(HubSettings.fromEnvironment(), KnownModels.DEFAULT))) {
            String folder = under == null ? null : IndexSchema.key(under);
            ObjectNode root = JsonFiles.mapper().createObjectNode();
            ArrayNode all = root.putArray("queries");
            for (Path query : queries) {
                String key = IndexSchema.key(query);
                float[] vector = searchIndex.vectorOf(key).orElseGet(() -> {
                    if (!Files.isRegularFile(query)) {
                        throw new PerceptException("query " + query + " is neither an image file nor an indexed path");
                    }
                    return model.embed(query);
                });
                List<Hit> hits = searchIndex.search(vector, k, folder);
                if (json) {
                    ObjectNode q = all.addObject();
                    q.put("query", key);
                    ArrayNode results = q.putArray("results");
                    hits.forEach(h -> results.addObject().put("path", h.path()).put("distance", h.distance()));
                } else {
                    System.out.println(key);
                    for (int i = 0; i < hits.size(); i++) {
                        System.out.printf(Locale.ROOT, "%4d  %.4f  %s%n", i + 1, hits.get(i).distance(), hits.get(i).path());
                    }
                }
            }
            if (json) {
                System.out.println(root.toPrettyString());
            }
        }
        return 0;
    }
}
