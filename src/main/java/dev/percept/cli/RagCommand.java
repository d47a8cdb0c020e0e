package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.console.TextTable;
import dev.percept.data.LabeledImages;
import dev.percept.embed.ModelRequest;
import dev.percept.eval.EvalResult;
import dev.percept.eval.FeatureCache;
import dev.percept.eval.FeatureSource;
import dev.percept.eval.RetrievalAugmented;
import dev.percept.eval.VlmClient;
import dev.percept.io.MappedFloats;
import dev.percept.model.FeatureMode;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
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

    @Option(names = "--feature-cache", paramLabel = "DIR",
            description = "Where extracted features are kept (default: $PERCEPT_FEATURE_CACHE or ~/.cache/percept/features).")
    Path featureCache;

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
        ModelRequest request = model.request();
        if (request.features() == FeatureMode.PATCH_TOKENS) {
            throw new PerceptException("eval rag needs one feature vector per image, not patch_tokens");
        }
        Engine.start(model.threads);
        float[] supportFeatures;
        float[] queryFeatures;
        FeatureCache cache = new FeatureCache(featureCache != null ? featureCache : FeatureCache.defaultDir());
        try (FeatureSource source = new FeatureSource(request, model.store(), cache, model.normalization(), batch)) {
            supportFeatures = floats(source.vectors(support.images(), "support"));
            queryFeatures = floats(source.vectors(query.images(), "queries"));
        }
        int dim = supportFeatures.length / support.size();
        int perSeed = queries == 0 ? query.size() : Math.min(queries, query.size());
        RetrievalAugmented.Result result = RetrievalAugmented.run(support, supportFeatures, query, queryFeatures, dim,
                settings, vlm == null ? RetrievalAugmented::vote : vlm,
                Progress.onStderr(vlm == null ? "vote" : "vlm", "query", (long) perSeed * seeds));
        String classifier = vlm == null ? "vote" : vlmModel + " at " + vlm.endpoint();
        EvalResult report = result.report(data, EvalResult.EvaluatedModel.of(request), classifier,
                (vlmUrl == null ? "vote" : vlmModel) + ", k=" + k, k);
        System.out.print(report.table());
        TextTable perSeedTable = new TextTable("seed", "queries", "support", "accuracy", "unparsed");
        for (RetrievalAugmented.SeedResult s : result.seeds()) {
            perSeedTable.row(Long.toString(s.seed()), Integer.toString(s.queries()), Integer.toString(s.support()),
                    String.format(Locale.ROOT, "%.4f", s.accuracy()), Integer.toString(s.unparsed()));
        }
        System.out.print(perSeedTable.render());
        if (!result.unparsedAnswers().isEmpty()) {
            System.err.println("answers naming no class (first " + result.unparsedAnswers().size() + "):");
            result.unparsedAnswers().forEach(a -> System.err.println("  " + a));
        }
        if (out != null) {
            report.write(out);
        }
        return 0;
    }

    private static float[] floats(MappedFloats rows) {
        if (rows.shape().length != 2) {
            throw new PerceptException("eval rag needs one feature vector per image, not a grid of " + rows.rowElements());
        }
        float[] out = new float[(int) (rows.rows() * rows.rowElements())];
        rows.rows(0, rows.rows()).asFloatBuffer().get(out);
        return out;
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

}
