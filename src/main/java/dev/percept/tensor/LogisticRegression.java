package dev.percept.tensor;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

/**
 * Multinomial logistic regression on frozen features, the linear probe's kernel. The train,
 * validation and test rows are standardised once with the training moments and held until
 * closed; each {@link #fit} trains weights from zero with Adam on shuffled mini-batches and keeps
 * those of its epoch with the lowest validation loss.
 */
public final class LogisticRegression implements AutoCloseable {
    private final NativeOwner owner = new NativeOwner();
    private final Tensor train;
    private final Tensor trainLabels;
    private final Tensor val;
    private final Tensor valLabels;
    private final Tensor test;

    /** One fit's outcome: its epoch with the lowest validation loss, and the weights of that epoch. */
    public record Fit(int epochs, double valLoss, double valAccuracy, Weights weights) {}

    /** Weights [dim, classes] and bias [classes], row-major. */
    public record Weights(float[] weight, float[] bias) {}

    public LogisticRegression(FeatureMatrix train, int[] trainLabels, FeatureMatrix val, int[] valLabels, FeatureMatrix test) {
        try (PointerScope scope = new PointerScope()) {
            Tensor[] moments = Standardize.columnMoments(train.tensor());
            this.train = owner.keep(Standardize.apply(train.tensor(), moments[0], moments[1]));
            this.val = owner.keep(Standardize.apply(val.tensor(), moments[0], moments[1]));
            this.test = owner.keep(Standardize.apply(test.tensor(), moments[0], moments[1]));
            this.trainLabels = owner.keep(placement().longs(trainLabels));
            this.valLabels = owner.keep(placement().longs(valLabels));
        }
    }

    /**
     * Trains from zero weights for at most {@code maxEpochs}, stopping after {@code patience}
     * epochs without a lower validation loss; rows are shuffled per epoch from {@code seed}.
     */
    public Fit fit(int classes, double lr, double weightDecay, int maxEpochs, int patience, int batchSize, long seed) {
        try (PointerScope scope = new PointerScope()) {
            Tensor w = placement().parameter(placement().zeros(train.size(1), classes));
            Tensor b = placement().parameter(placement().zeros(classes));
            int n = (int) train.size(0);
            EpochOrder order = new EpochOrder(n, seed);
            double bestLoss = Double.POSITIVE_INFINITY;
            double bestAccuracy = 0;
            int bestEpoch = 0;
            Tensor keptW = snapshot(w);
            Tensor keptB = snapshot(b);
            try (Adam adam = new Adam(new Parameters(List.of("weight", "bias"), List.of(w, b)), 0.9, 0.999, weightDecay)) {
                for (int epoch = 1; epoch <= maxEpochs && epoch - bestEpoch <= patience; epoch++) {
                    int[] rows = order.next();
                    for (int start = 0; start < n; start += batchSize) {
                        int len = Math.min(batchSize, n - start);
                        try (PointerScope step = new PointerScope()) {
                            Tensor idx = placement().longs(Arrays.copyOfRange(rows, start, start + len));
                            crossEntropy(affine(train.index_select(0, idx), w, b), trainLabels.index_select(0, idx)).backward();
                            adam.step(lr);
                        }
                    }
                    try (PointerScope eval = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                        Tensor logits = affine(val, w, b);
                        double loss = Tensors.scalar(crossEntropy(logits, valLabels));
                        if (loss < bestLoss) {
                            bestLoss = loss;
                            bestEpoch = epoch;
                            bestAccuracy = argmax(logits).eq(valLabels).to(ScalarType.Float).mean().item_double();
                            keptW.copy_(w);
                            keptB.copy_(b);
                        }
                    }
                }
            }
            return new Fit(bestEpoch, bestLoss, bestAccuracy, new Weights(Tensors.toFloats(keptW), Tensors.toFloats(keptB)));
        }
    }

    /** The class with the largest logit for each test row under {@code weights}. */
    public int[] predict(Weights weights) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            long classes = weights.bias().length;
            Tensor w = placement().floats(weights.weight(), test.size(1), classes);
            Tensor b = placement().floats(weights.bias(), classes);
            return Tensors.toInts(argmax(affine(test, w, b)));
        }
    }

    /** Where the standardised rows live, in float32: the weights are made there. */
    private Placement placement() {
        return Placement.of(train).floats();
    }

    /**
     * x @ w + b, w stored [in, out]. (torch.linear's [out, in] layout measured about 10x slower in
     * backward here: the weight gradient becomes a transposed GEMM.)
     */
    static Tensor affine(Tensor x, Tensor w, Tensor b) {
        return x.matmul(w).add(b);
    }

    /** Mean cross-entropy of logits [N, C] against class ids [N]. */
    private static Tensor crossEntropy(Tensor logits, Tensor target) {
        return torch.cross_entropy_loss(logits, target, new TensorOptional(), 1 /* mean */, -100, 0.0);
    }

    private static Tensor argmax(Tensor logits) {
        return logits.argmax(new LongOptional(1), false);
    }

    private static Tensor snapshot(Tensor t) {
        return t.detach().clone(new MemoryFormatOptional());
    }

    @Override
    public void close() {
        owner.close();
    }
}
