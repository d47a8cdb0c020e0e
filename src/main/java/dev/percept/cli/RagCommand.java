package dev.percept.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.data.LabeledImages;
import dev.percept.embed.Embedder;
import dev.percept.eval.RetrievalAugmented;
import dev.percept.eval.VlmClient;
import dev.percept.io.JsonFiles;
import dev.percept.model.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rag", mixinStandardHelpOptions = true,
        description = "Retrieval-augmented classification: each query's k nearest support images (train/) become "
                + "labelled in-context examples for a vision-language model (--vlm-url), or a vote over their labels "
                + "without one. Accuracy over the test/ (else val/) images, mean of --seeds runs with a 95%% t-interval.")
final class RagCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "ROOT",
            description = "Folder with train/<class>/* (the support set) and test/<class>/* or val/<class>/* (the queries).")
    Path data;

    @Option(names = "--k", defaultValue = "3", paramLabel = "K", description = "Examples per query. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N", description = "Runs, with seeds S, S+1, ... Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "S", description = "First seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--queries", defaultValue = "0", paramLabel = "N",
            description = "Queries drawn per seed (0: all). Default: ${DEFAULT-VALUE}.")
    int queries;

    @Option(names = "--shots", defaultValue = "0", paramLabel = "N",
            description = "Support images drawn per class and seed (0: all). Default: ${DEFAULT-VALUE}.")
    int shots;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--vlm-url", paramLabel = "URL",
            description = "OpenAI-compatible endpoint (http://host:port, .../v1 or .../v1/chat/completions). "
                    + "Without it: a majority vote over the retrieved labels.")
    String vlmUrl;

    @Option(names = "--vlm-model", paramLabel = "NAME", description = "Model name sent to the endpoint (required with --vlm-url).")
    String vlmModel;

    @Option(names = "--vlm-key-env", defaultValue = "OPENAI_API_KEY", paramLabel = "VAR",
            description = "Environment variable holding the bearer token, sent when set. Default: ${DEFAULT-VALUE}.")
    String vlmKeyEnv;

    @Option(names = "--vlm-timeout", defaultValue = "120", paramLabel = "SECONDS", description = "Per request. Default: ${DEFAULT-VALUE}.")
    int vlmTimeout;

    @Option(names = "--vlm-attempts", defaultValue = "5", paramLabel = "N",
            description = "Tries per request on 429, 5xx and timeouts (backoff 1 s, doubling). Default: ${DEFAULT-VALUE}.")
    int vlmAttempts;

    @Option(names = "--vlm-concurrency", defaultValue = "4", paramLabel = "N",
            description = "Requests in flight at once. Default: ${DEFAULT-VALUE}.")
    int vlmConcurrency;

    @Option(names = "--vlm-image-size", defaultValue = "448", paramLabel = "PX",
            description = "Longer side of the PNG images sent (larger ones are shrunk). Default: ${DEFAULT-VALUE}.")
    int vlmImageSize;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the result as JSON (readable by `percept report`).")
    Path out;

    @Override
    public Integer call() {
        RetrievalAugmented.Settings settings = new RetrievalAugmented.Settings(k, seeds, seed, queries, shots,
                vlmUrl == null ? 1 : vlmConcurrency);
        LabeledImages support = LabeledImages.read(LabeledImages.split(data, "train"));
        LabeledImages query = LabeledImages.read(LabeledImages.split(data, "test", "val")).relabel(support.classes());
        VlmClient vlm = vlmClient();
        if (vlm != null) {
            vlm.checkReachable();
        }
        List<Member> members = model.open();
        int dim;
        float[] supportFeatures;
        float[] queryFeatures;
        String features = members.stream().map(m -> m.features().cliName()).collect(Collectors.joining(","));
        try (Embedder embedder = new Embedder(members, model.normalization(), batch)) {
            if (embedder.rowShape().length != 1) {
                throw new PerceptException("eval rag needs one feature vector per image, not " + features);
            }
            dim = embedder.rowLength();
            supportFeatures = embedder.embedRows(support.images(), Progress.onStderr("embed support", "img", support.size()));
            queryFeatures = embedder.embedRows(query.images(), Progress.onStderr("embed queries", "img", query.size()));
        } finally {
            members.forEach(m -> m.backbone().close());
        }
        int perSeed = queries == 0 ? query.size() : Math.min(queries, query.size());
        RetrievalAugmented.Result result = RetrievalAugmented.run(support, supportFeatures, query, queryFeatures, dim,
                settings, vlm == null ? RetrievalAugmented::vote : vlm,
                Progress.onStderr(vlm == null ? "vote" : "vlm", "query", (long) perSeed * seeds));
        String classifier = vlm == null ? "vote" : vlmModel + " at " + vlm.endpoint();
        System.out.printf(Locale.ROOT, "retrieval-augmented classification, %s on %s, k=%d, %s%n%-8s %8s %8s %9s %9s%n",
                model.model, data, k, classifier, "seed", "queries", "support", "accuracy", "unparsed");
        for (RetrievalAugmented.SeedResult s : result.seeds()) {
            System.out.printf(Locale.ROOT, "%-8d %8d %8d %9.4f %9d%n", s.seed(), s.queries(), s.support(), s.accuracy(), s.unparsed());
        }
        System.out.printf(Locale.ROOT, "accuracy %.4f   95%% CI [%.4f, %.4f] over %d seeds%n",
                result.accuracy().mean(), result.accuracy().low(), result.accuracy().high(), seeds);
        if (!result.unparsedAnswers().isEmpty()) {
            System.err.println("answers naming no class (first " + result.unparsedAnswers().size() + "):");
            result.unparsedAnswers().forEach(a -> System.err.println("  " + a));
        }
        if (out != null) {
            JsonFiles.write(out, json(result, features, classifier));
        }
        return 0;
    }

    private VlmClient vlmClient() {
        if (vlmUrl == null) {
            if (vlmModel != null) {
                throw new PerceptException("--vlm-model needs --vlm-url");
            }
            return null;
        }
        if (vlmModel == null) {
            throw new PerceptException("--vlm-url needs --vlm-model (the model name the endpoint serves)");
        }
        if (vlmTimeout <= 0 || vlmAttempts <= 0 || vlmImageSize <= 0) {
            throw new PerceptException("--vlm-timeout, --vlm-attempts and --vlm-image-size must be positive");
        }
        return new VlmClient(new VlmClient.Settings(vlmUrl, vlmModel, System.getenv(vlmKeyEnv),
                Duration.ofSeconds(vlmTimeout), vlmAttempts, Duration.ofSeconds(1), vlmImageSize));
    }

    private ObjectNode json(RetrievalAugmented.Result result, String features, String classifier) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        root.put("task", "rag");
        root.put("dataset", data.toString());
        root.put("model", model.model);
        root.put("adapter", model.adapter);
        root.put("features", features);
        root.put("setting", (vlmUrl == null ? "vote" : vlmModel) + ", k=" + k);
        root.put("classifier", classifier);
        root.put("k", k);
        ObjectNode accuracy = root.putObject("metrics").putObject("accuracy");
        accuracy.put("value", result.accuracy().mean());
        accuracy.put("ci_low", result.accuracy().low());
        accuracy.put("ci_high", result.accuracy().high());
        accuracy.put("higher_is_better", true);
        ArrayNode perSeed = root.putArray("per_seed");
        for (RetrievalAugmented.SeedResult s : result.seeds()) {
            perSeed.addObject().put("seed", s.seed()).put("queries", s.queries()).put("support", s.support())
                    .put("correct", s.correct()).put("accuracy", s.accuracy()).put("unparsed", s.unparsed());
        }
        root.put("unparsed", result.unparsed());
        ArrayNode examples = root.putArray("unparsed_answers");
        result.unparsedAnswers().forEach(examples::add);
        return root;
    }
}
