package dev.percept.tensor;

import dev.percept.io.MappedFloats;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Feature rows held in native memory for the probes: one float32 tensor [N, ...] read once (from a
 * memory-mapped file or Java floats) and used by every fit and search over it. Owns its memory
 * until closed, whatever scopes are open meanwhile.
 */
public final class FeatureMatrix implements AutoCloseable {
    private final NativeOwner owner = new NativeOwner();
    private final Tensor values;

    private FeatureMatrix(Tensor values) {
        this.values = owner.keep(values);
    }

    /** A whole memory-mapped float32 file. */
    public static FeatureMatrix load(MappedFloats file) {
        try (PointerScope scope = new PointerScope()) {
            return new FeatureMatrix(Placement.CPU.load(file));
        }
    }

    /** A copy of {@code data} as rows of the given shape. */
    public static FeatureMatrix of(float[] data, long... shape) {
        try (PointerScope scope = new PointerScope()) {
            return new FeatureMatrix(Placement.CPU.floats(data, shape));
        }
    }

    /**
     * Rows drawn around class centres, as synthetic probe data: centres N(0, centreScale^2) per
     * class, then for each set of labels one matrix whose row i is its class centre plus N(0, 1)
     * noise; every draw from libtorch's generator seeded with {@code seed}, in that order.
     */
    public static List<FeatureMatrix> gaussianClusters(long seed, int classes, int dim, double centreScale, int[]... labelSets) {
        List<FeatureMatrix> out = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            Tensors.seed(seed);
            Tensor centres = Placement.CPU.normal(0, 1, classes, dim).mul(new org.bytedeco.pytorch.Scalar(centreScale));
            for (int[] labels : labelSets) {
                out.add(new FeatureMatrix(centres.index_select(0, Placement.CPU.longs(labels)).add(Placement.CPU.normal(0, 1, labels.length, dim))));
            }
        }
        return out;
    }

    /** The rows at {@code indices}, in that order, as a new matrix. */
    public FeatureMatrix select(int[] indices) {
        try (PointerScope scope = new PointerScope()) {
            return new FeatureMatrix(values.index_select(0, Placement.CPU.longs(indices)));
        }
    }

    public long rows() {
        return values.size(0);
    }

    /** Values per row. */
    public long rowLength() {
        return values.numel() / Math.max(1, values.size(0));
    }

    /** Rows {@code first .. first + count - 1}, row-major. */
    public float[] toFloats(long first, long count) {
        try (PointerScope scope = new PointerScope()) {
            return Tensors.toFloats(values.narrow(0, first, count));
        }
    }

    Tensor tensor() {
        return values;
    }

    @Override
    public void close() {
        owner.close();
    }
}
