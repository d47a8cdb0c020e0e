package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.eval.DenseProbe;
import dev.percept.eval.FeatureCache;
import dev.percept.eval.LinearProbe;
import dev.percept.eval.TaskOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the downstream protocols (`eval <task>`, `compare`). */
final class DownstreamOptions {
    @Option(names = "--seed", defaultValue = "1234", paramLabel = "S",
            description = "Seed of every random choice (held-out validation, shuffling, bootstrap, galleries). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Images per embedding batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--feature-cache", paramLabel = "DIR",
            description = "Where extracted features are kept (default: $PERCEPT_FEATURE_CACHE or ~/.cache/percept/features).")
    Path featureCache;

    @Option(names = "--k", defaultValue = "20", paramLabel = "K", description = "knn: neighbours that vote. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--temperature", defaultValue = "0.07", paramLabel = "T",
            description = "knn: votes weigh exp(cos / T). Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--lr", defaultValue = "1e-3,1e-2,1e-1", paramLabel = "LIST",
            description = "linear: learning rates swept (Adam). Default: ${DEFAULT-VALUE}.")
    String learningRates;

    @Option(names = "--weight-decay", defaultValue = "0,1e-4,1e-2", paramLabel = "LIST",
            description = "linear: L2 weight decays swept. Default: ${DEFAULT-VALUE}.")
    String weightDecays;

    @Option(names = "--max-epochs", defaultValue = "100", paramLabel = "N", description = "linear: epoch limit. Default: ${DEFAULT-VALUE}.")
    int maxEpochs;

    @Option(names = "--patience", defaultValue = "5", paramLabel = "N",
            description = "linear: stop after this many epochs without a lower validation loss. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--probe-batch", defaultValue = "256", paramLabel = "N", description = "linear: mini-batch size. Default: ${DEFAULT-VALUE}.")
    int probeBatch;

    @Option(names = "--penalties", defaultValue = "1e-4,1e-3,1e-2,1e-1,1,10", paramLabel = "LIST",
            description = "counting: ridge penalties swept. Default: ${DEFAULT-VALUE}.")
    String penalties;

    @Option(names = "--dense-epochs", defaultValue = "20", paramLabel = "N",
            description = "segmentation, depth: training epochs of the dense probe. Default: ${DEFAULT-VALUE}.")
    int denseEpochs;

    @Option(names = "--dense-lr", defaultValue = "1e-3", paramLabel = "LR",
            description = "segmentation, depth: Adam learning rate of the dense probe. Default: ${DEFAULT-VALUE}.")
    double denseLr;

    @Option(names = "--dense-batch", defaultValue = "8", paramLabel = "N",
            description = "segmentation, depth: images per step. Default: ${DEFAULT-VALUE}.")
    int denseBatch;

    @Option(names = "--upsample", defaultValue = "4", paramLabel = "X",
            description = "segmentation, depth: training compares outputs upsampled this much with targets resized to match. "
                    + "Default: ${DEFAULT-VALUE}.")
    int upsample;

    @Option(names = "--min-depth", defaultValue = "1e-3", paramLabel = "M", description = "depth: lower cap in metres. Default: ${DEFAULT-VALUE}.")
    double minDepth;

    @Option(names = "--max-depth", defaultValue = "10", paramLabel = "M", description = "depth: upper cap in metres. Default: ${DEFAULT-VALUE}.")
    double maxDepth;

    /** The protocols' settings; layout and splits null for each dataset's own. */
    TaskOptions options(String layout, String trainSplit, String testSplit) {
        return new TaskOptions(layout, trainSplit, testSplit, k, temperature,
                new LinearProbe.Settings(numbers("--lr", learningRates), numbers("--weight-decay", weightDecays), maxEpochs, patience,
                        probeBatch, seed),
                numbers("--penalties", penalties),
                new DenseProbe.Settings(denseEpochs, denseLr, denseBatch, upsample, seed),
                minDepth, maxDepth, TaskOptions.GALLERY_QUERIES, seed, null);
    }

    FeatureCache cache() {
        return new FeatureCache(featureCache != null ? featureCache : FeatureCache.defaultDir());
    }

    private static List<Double> numbers(String option, String list) {
        try {
            return Arrays.stream(list.split(",")).map(String::strip).map(Double::parseDouble).toList();
        } catch (NumberFormatException e) {
            throw new PerceptException(option + " takes comma-separated numbers, not '" + list + "'");
        }
    }
}
