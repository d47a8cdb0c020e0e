package dev.percept.tensor;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Adam over a fixed list of float32 parameters, the update torch.optim.Adam makes (no amsgrad,
 * L2 weight decay added to the gradient). Its moments are plain tensors it owns, so a checkpoint
 * saves and restores them exactly.
 */
public final class Adam implements AutoCloseable {
    static final double EPS = 1e-8;

    private final NativeOwner owner = new NativeOwner();
    private final Parameters params;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private long step;

    public Adam(Parameters params, double beta1, double beta2, double weightDecay) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        try (PointerScope scope = new PointerScope()) { // frees the arguments' wrappers now
            for (Tensor p : params.tensors()) {
                Placement where = Placement.of(p); // the moments live with their parameter
                m.add(owner.keep(where.zeros(Tensors.shape(p))));
                v.add(owner.keep(where.zeros(Tensors.shape(p))));
            }
        }
    }

    /** Applies one update from the accumulated gradients, then clears them. */
    public void step(double lr) {
        step++;
        List<Tensor> tensors = params.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                update(tensors.get(i), m.get(i), v.get(i), lr);
            }
        }
    }

    /** torch.optim.Adam's update of one parameter in place; a parameter the loss did not reach is skipped. */
    private void update(Tensor param, Tensor m, Tensor v, double lr) {
        Tensor g = param.grad();
        if (!g.defined()) {
            return; // the loss does not depend on it (torch.optim skips such parameters too)
        }
        Tensor decayed = weightDecay != 0 ? g.add(param, new Scalar(weightDecay)) : g;
        m.mul_(new Scalar(beta1)).add_(decayed, new Scalar(1 - beta1));
        v.mul_(new Scalar(beta2)).addcmul_(decayed, decayed, new Scalar(1 - beta2));
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        Tensor denom = v.sqrt().div_(new Scalar(Math.sqrt(correction2))).add_(new Scalar(EPS));
        param.addcdiv_(m, denom, new Scalar(-lr / correction1));
        g.zero_();
    }

    public long steps() {
        return step;
    }

    public Parameters parameters() {
        return params;
    }

    List<Tensor> firstMoments() {
        return m;
    }

    List<Tensor> secondMoments() {
        return v;
    }

    /** Restores the update count after the moments were loaded from a checkpoint. */
    void restore(long steps) {
        this.step = steps;
    }

    @Override
    public void close() {
        owner.close();
    }
}
