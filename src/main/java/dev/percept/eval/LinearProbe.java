package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.tensor.FeatureMatrix;
import dev.percept.tensor.LogisticRegression;
import java.util.ArrayList;
import java.util.List;

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

    public static Result train(FeatureMatrix trainX, int[] trainY, FeatureMatrix valX, int[] valY, FeatureMatrix testX, int classes,
            Settings s, Progress progress) {
        try (LogisticRegression probe = new LogisticRegression(trainX, trainY, valX, valY, testX)) {
            List<Fit> sweep = new ArrayList<>();
            Fit best = null;
            LogisticRegression.Weights bestWeights = null;
            for (double lr : s.learningRates()) {
                for (double wd : s.weightDecays()) {
                    LogisticRegression.Fit f = probe.fit(classes, lr, wd, s.maxEpochs(), s.patience(), s.batchSize(), s.seed());
                    Fit fit = new Fit(lr, wd, f.epochs(), f.valLoss(), f.valAccuracy());
                    sweep.add(fit);
                    progress.advance(1);
                    if (best == null || fit.valAccuracy() > best.valAccuracy()
                            || fit.valAccuracy() == best.valAccuracy() && fit.valLoss() < best.valLoss()) {
                        best = fit;
                        bestWeights = f.weights();
                    }
                }
            }
            return new Result(probe.predict(bestWeights), best, sweep);
        }
    }
}
