package dev.percept.model;

import dev.percept.PerceptException;
import dev.percept.tensor.Ops;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;

/** What is done to each feature vector after extraction (after concatenation, for ensembles). */
public enum FeatureNorm {
    /** The raw features. */
    NONE,
    /** Unit L2 norm. */
    L2,
    /**
     * DreamSim's released metric: subtract each vector's own mean over its features, then unit L2
     * norm, so that 1 - cos becomes 1 - Pearson correlation.
     */
    DREAMSIM;

    /** Applies to [B, dim] float rows. */
    public Tensor apply(Tensor rows) {
        return switch (this) {
            case NONE -> rows;
            case L2 -> Ops.normalizeRows(rows);
            case DREAMSIM -> Ops.normalizeRows(Ops.centerRows(rows));
        };
    }

    public static FeatureNorm parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PerceptException("unknown normalization '" + s + "'; choose none, l2 or dreamsim");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
