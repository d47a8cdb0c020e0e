package dev.percept.model;

import dev.percept.image.Preprocessing;
import dev.percept.tensor.ActivationCheckpoints;
import dev.percept.tensor.Forward;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * One or more backbones whose features are concatenated per image: the one forward that embedding,
 * alignment and pretraining share. Each member reads the pixels of its own preprocessing.
 */
public final class Ensemble {
    private final List<Member> members;

    public Ensemble(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no members");
        }
        this.members = List.copyOf(members);
    }

    public List<Member> members() {
        return members;
    }

    /** Shape of one image's output row: the members' features concatenated. */
    public long[] rowShape() {
        if (members.size() == 1) {
            return members.get(0).featureShape();
        }
        return new long[] {members.stream().mapToLong(m -> m.featureShape()[0]).sum()};
    }

    public int rowLength() {
        return (int) Arrays.stream(rowShape()).reduce(1, (a, b) -> a * b);
    }

    /**
     * Rows of {@code count} images, normalised, copied out: [count, rowLength] row-major. Runs
     * without gradients in a memory scope of its own.
     *
     * @param pixels per preprocessing, {@code count} normalised images [3, H, W] one after another
     */
    public float[] embed(Map<Preprocessing, float[]> pixels, int count, FeatureNorm normalization) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            return Tensors.toFloats(normalization.apply(features(pixels, count, null)));
        }
    }

    /**
     * The forward for a training-step kernel, recording gradients for whatever is trainable; with
     * {@code checkpointActivations} each member's blocks are recomputed in the step's backward
     * instead of keeping their activations.
     */
    public Forward forward(Map<Preprocessing, float[]> pixels, int count, boolean checkpointActivations) {
        if (!checkpointActivations) {
            return () -> features(pixels, count, null);
        }
        List<ActivationCheckpoints> checkpoints = members.stream().map(m -> new ActivationCheckpoints()).toList();
        return new Forward() {
            @Override
            public Tensor features() {
                return Ensemble.this.features(pixels, count, checkpoints);
            }

            @Override
            public void backwardDeferred() {
                checkpoints.forEach(ActivationCheckpoints::backward);
            }
        };
    }

    /**
     * The members' features of {@code count} images, each flattened and concatenated: [count,
     * rowLength] float32; member i's blocks run through {@code checkpoints.get(i)} unless the list is null.
     */
    private Tensor features(Map<Preprocessing, float[]> pixels, int count, List<ActivationCheckpoints> checkpoints) {
        Tensor[] parts = new Tensor[members.size()];
        for (int i = 0; i < parts.length; i++) {
            Member m = members.get(i);
            Preprocessing p = m.preprocessing();
            Tensor x = m.backbone().placement().floats(pixels.get(p), count, 3, p.height(), p.width());
            parts[i] = m.backbone().features(x, m.features(), checkpoints == null ? null : checkpoints.get(i)).reshape(count, -1);
        }
        return parts.length == 1 ? parts[0] : Ops.cat(1, parts);
    }
}
