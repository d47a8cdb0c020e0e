package dev.percept.model;

import dev.percept.image.Preprocessing;
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
            return Tensors.toFloats(normalization.apply(features(pixels, count)));
        }
    }

    /** The forward for a training-step kernel, recording gradients for whatever is trainable. */
    public Forward forward(Map<Preprocessing, float[]> pixels, int count) {
        return () -> features(pixels, count);
    }

    /** The members' features of {@code count} images, each flattened and concatenated: [count, rowLength] float32. */
    private Tensor features(Map<Preprocessing, float[]> pixels, int count) {
        Tensor[] parts = new Tensor[members.size()];
        for (int i = 0; i < parts.length; i++) {
            Member m = members.get(i);
            Preprocessing p = m.preprocessing();
            Tensor x = m.backbone().placement().floats(pixels.get(p), count, 3, p.height(), p.width());
            parts[i] = m.backbone().features(x, m.features()).reshape(count, -1);
        }
        return parts.length == 1 ? parts[0] : Ops.cat(1, parts);
    }
}
