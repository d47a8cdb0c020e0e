package dev.percept.cli;

import dev.percept.embed.ModelRequest;
import dev.percept.eval.DownstreamTask;
import dev.percept.eval.EvalResult;
import dev.percept.eval.FeatureSource;
import dev.percept.eval.TaskResult;
import dev.percept.tensor.Engine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `percept eval <task>`: one downstream protocol for one model; a table on stdout, JSON with --out. */
abstract class EvalTaskCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    DownstreamOptions downstream;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder in its public layout (2afc: a 2AFC source).")
    Path data;

    @Option(names = "--layout", paramLabel = "NAME",
            description = "Dataset layout: clevr, fsc147, carpk, voc, ade20k, cityscapes, cocostuff, davis, nyu, sunrgbd, "
                    + "lightfield, deepfashion2, folders or pets "
                    + "(default: recognised from the folder).")
    String layout;

    @Option(names = "--train-split", paramLabel = "NAME", description = "Training split (default: the layout's).")
    String trainSplit;

    @Option(names = "--test-split", paramLabel = "NAME", description = "Test split (default: the layout's).")
    String testSplit;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the metrics with 95%% bootstrap intervals as JSON.")
    Path out;

    abstract DownstreamTask task();

    /** The test split asked for (null: the dataset's own). */
    String testSplit() {
        return testSplit;
    }

    /** The dataset the probe trains on instead of --data's train split (depth only), or null. */
    Path trainData() {
        return null;
    }

    @Override
    public Integer call() {
        Engine.start(model.threads);
        ModelRequest request = model.request();
        TaskResult r;
        try (FeatureSource source = new FeatureSource(request, model.store(), downstream.cache(), model.normalization(),
                downstream.batch)) {
            r = task().run(source, data, downstream.options(layout, trainSplit, testSplit()).withTrainData(trainData()));
        }
        EvalResult result = EvalResult.of(r, EvalResult.EvaluatedModel.of(request), downstream.seed);
        System.out.print(result.table());
        if (out != null) {
            result.write(out);
        }
        return 0;
    }

    @Command(name = "2afc", mixinStandardHelpOptions = true,
            description = "Agreement with human 2AFC votes (ties count 0.5), with 95%% bootstrap intervals, "
                    + "per subset (NIGHTS is_imagenet, BAPPS subsets) and overall. --data: NIGHTS folder (data.csv), "
                    + "BAPPS 2afc folder, folder of class folders, THINGS list (.txt), or a CSV with ref,left,right,p.")
    static final class TwoAfc extends EvalTaskCommand {
        @Option(names = "--split", defaultValue = "test", paramLabel = "NAME",
                description = "NIGHTS split: train, val or test. Default: ${DEFAULT-VALUE}.")
        String split;

        DownstreamTask task() {
            return DownstreamTask.TWO_AFC;
        }

        @Override
        String testSplit() {
            return split;
        }
    }

    @Command(name = "knn", mixinStandardHelpOptions = true,
            description = "kNN classification (DINO's: cosine, k nearest vote with weight exp(cos / T)) on class folders or Pets.")
    static final class Knn extends EvalTaskCommand {
        DownstreamTask task() {
            return DownstreamTask.KNN;
        }
    }

    @Command(name = "linear", mixinStandardHelpOptions = true,
            description = "Linear probe (logistic regression, lr x weight-decay sweep on validation, early stopping) on class folders or Pets.")
    static final class Linear extends EvalTaskCommand {
        DownstreamTask task() {
            return DownstreamTask.LINEAR;
        }
    }

    @Command(name = "counting", mixinStandardHelpOptions = true,
            description = "Object counting (CLEVR, FSC147, CARPK): ridge regression on features; MAE and RMSE.")
    static final class Counting extends EvalTaskCommand {
        DownstreamTask task() {
            return DownstreamTask.COUNTING;
        }
    }

    @Command(name = "segmentation", mixinStandardHelpOptions = true,
            description = "Semantic segmentation (VOC, ADE20K, Cityscapes, COCO-Stuff, DAVIS): dense linear probe on patch tokens; "
                    + "mIoU and pixel accuracy.")
    static final class Segmentation extends EvalTaskCommand {
        DownstreamTask task() {
            return DownstreamTask.SEGMENTATION;
        }
    }

    @Command(name = "depth", mixinStandardHelpOptions = true,
            description = "Monocular depth (NYUv2, SUN RGB-D, 4D Light Field): dense probe of log depth on patch tokens; "
                    + "RMSE, AbsRel, log10, delta1-3.")
    static final class Depth extends EvalTaskCommand {
        @Option(names = "--train-data", paramLabel = "DIR",
                description = "Train the probe on this depth dataset's train split and test it on --data without retraining "
                        + "(transfer, e.g. NYUv2 to the 4D Light Field benchmark; its layout is recognised from the folder). "
                        + "Default: --data's own train split.")
        Path trainDataDir;

        DownstreamTask task() {
            return DownstreamTask.DEPTH;
        }

        @Override
        Path trainData() {
            return trainDataDir;
        }
    }

    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = "Instance retrieval (DeepFashion2 consumer-to-shop): recall@1, 3, 5 by cosine similarity.")
    static final class Retrieval extends EvalTaskCommand {
        DownstreamTask task() {
            return DownstreamTask.RETRIEVAL;
        }
    }
}
