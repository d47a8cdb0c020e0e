package dev.percept.embed;

import dev.percept.PerceptException;
import java.util.Locale;
import org.bytedeco.pytorch.Scalar;
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
        Tensor x = this == DREAMSIM ? rows.sub(rows.mean(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional())) : rows;
        if (this == NONE) {
            return x;
        }
        Tensor norms = x.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)), new long[] {1}, true);
        return x.div(norms.clamp_min(new Scalar(1e-12)));
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
