package dev.percept.tensor;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Adam over a fixed list of float32 parameters, the update torch.optim.Adam makes (no amsgrad,
 * L2 weight decay added to the gradient). Its moments are plain tensors, so a checkpoint saves
 * and restores them exactly.
 */
public final class Adam implements AutoCloseable {
    static final double EPS = 1e-8;

    private final List<Tensor> params;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private long step;

    public Adam(List<Tensor> params, double beta1, double beta2, double weightDecay) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        for (Tensor p : params) {
            m.add(retained(Ops.zeros(Ops.shape(p))));
            v.add(retained(Ops.zeros(Ops.shape(p))));
        }
    }

    /** Applies one update from the accumulated gradients, then clears them. */
    public void step(double lr) {
        step++;
        for (int i = 0; i < params.size(); i++) {
            Ops.adamStep(params.get(i), m.get(i), v.get(i), lr, beta1, beta2, EPS, weightDecay, step);
            Ops.zeroGrad(params.get(i));
        }
    }

    public long steps() {
        return step;
    }

    public List<Tensor> firstMoments() {
        return m;
    }

    public List<Tensor> secondMoments() {
        return v;
    }

    /** Restores the update count after the moments were loaded from a checkpoint. */
    public void restore(long steps) {
        this.step = steps;
    }

    private static Tensor retained(Tensor t) {
        t.retainReference();
        return t;
    }

    @Override
    public void close() {
        m.forEach(Tensor::releaseReference);
        v.forEach(Tensor::releaseReference);
    }
}
