package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.tensor.Adam;
import dev.percept.tensor.Ops;
import dev.percept.tensor.ProbeOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Multinomial logistic regression on frozen features. Features are standardised with the
 * training set's moments; each (learning rate, weight decay) pair of the sweep trains with Adam on
 * shuffled mini-batches, keeps the weights of its epoch with the lowest validation loss and stops
 * after {@code patience} epochs without improvement. The pair with the best validation accuracy
 * (then the lower validation loss) is the probe.
 */
public final class LinearProbe {
    private LinearProbe() {}

    /** The sweep and training settings. */
    public record Settings(List<Double> learningRates, List<Double> weightDecays, int maxEpochs, int patience, int batchSize, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(List.of(1e-3, 1e-2, 1e-1), List.of(0.0, 1e-4, 1e-2), 100, 5, 256, seed);
        }

        public Settings {
            if (learningRates.isEmpty() || weightDecays.isEmpty() || maxEpochs <= 0 || patience <= 0 || batchSize <= 0) {
                throw new PerceptException("the linear probe needs learning rates, weight decays, and positive epochs, patience and batch size");
            }
        }
    }

    /** One point of the sweep. */
    public record Fit(double learningRate, double weightDecay, int epochs, double valLoss, double valAccuracy) {}

    /** Test predictions of the chosen probe, and the whole sweep. */
    public record Result(int[] predicted, Fit chosen, List<Fit> sweep) {}

    public static Result train(Tensor trainX, int[] trainY, Tensor valX, int[] valY, Tensor testX, int classes,
            Settings s, Progress progress) {
        try (PointerScope scope = new PointerScope()) {
            Tensor[] moments = ProbeOps.columnMoments(trainX);
            Tensor xTrain = ProbeOps.standardize(trainX, moments[0], moments[1]);
            Tensor xVal = ProbeOps.standardize(valX, moments[0], moments[1]);
            Tensor xTest = ProbeOps.standardize(testX, moments[0], moments[1]);
            Tensor yTrain = ProbeOps.longs(trainY);
            Tensor yVal = ProbeOps.longs(valY);
            List<Fit> sweep = new ArrayList<>();
            Fit best = null;
            Tensor[] bestWeights = null;
            for (double lr : s.learningRates()) {
                for (double wd : s.weightDecays()) {
                    Tensor w = ProbeOps.parameter(trainX.size(1), classes);
                    Tensor b = ProbeOps.parameter(classes);
                    Fit fit = fit(xTrain, yTrain, xVal, yVal, w, b, lr, wd, s);
                    sweep.add(fit);
                    progress.advance(1);
                    if (best == null || fit.valAccuracy() > best.valAccuracy()
                            || fit.valAccuracy() == best.valAccuracy() && fit.valLoss() < best.valLoss()) {
                        best = fit;
                        bestWeights = new Tensor[] {w, b};
                    }
                }
            }
            int[] predicted;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                predicted = ProbeOps.toInts(ProbeOps.argmax(ProbeOps.affine(xTest, bestWeights[0], bestWeights[1]), 1));
            }
            return new Result(predicted, best, sweep);
        }
    }

    /** Trains w, b in place; leaves them at the epoch with the lowest validation loss. */
    private static Fit fit(Tensor x, Tensor y, Tensor xVal, Tensor yVal, Tensor w, Tensor b, double lr, double wd, Settings s) {
        Adam adam = new Adam(List.of(w, b), 0.9, 0.999, wd);
        int n = (int) x.size(0);
        Random random = new Random(s.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestAccuracy = 0;
        int bestEpoch = 0;
        Tensor keptW = ProbeOps.snapshot(w);
        Tensor keptB = ProbeOps.snapshot(b);
        for (int epoch = 1; epoch <= s.maxEpochs() && epoch - bestEpoch <= s.patience(); epoch++) {
            shuffle(order, random);
            for (int start = 0; start < n; start += s.batchSize()) {
                int len = Math.min(s.batchSize(), n - start);
                try (PointerScope step = new PointerScope()) {
                    Tensor idx = ProbeOps.longs(java.util.Arrays.copyOfRange(order, start, start + len));
                    Tensor loss = ProbeOps.crossEntropy(ProbeOps.affine(x.index_select(0, idx), w, b), y.index_select(0, idx), -100);
                    loss.backward();
                    adam.step(lr);
                }
            }
            try (PointerScope eval = new PointerScope();
                    NoGradGuard noGrad = new NoGradGuard()) {
                Tensor logits = ProbeOps.affine(xVal, w, b);
                double loss = Ops.scalar(ProbeOps.crossEntropy(logits, yVal, -100));
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestEpoch = epoch;
                    bestAccuracy = ProbeOps.accuracy(logits, yVal);
                    keptW.copy_(w);
                    keptB.copy_(b);
                }
            }
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            w.copy_(keptW);
            b.copy_(keptB);
        }
        adam.close();
        return new Fit(lr, wd, bestEpoch, bestLoss, bestAccuracy);
    }

    /** Fisher-Yates, in place (the probes' epoch order). */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
