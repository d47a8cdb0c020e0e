package dev.percept.model;

import dev.percept.PerceptException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which vector (or grid) of a backbone's output is the image's feature. */
public enum FeatureMode {
    /** Class token of the last block, before the final LayerNorm (DreamSim's DINO feature). */
    CLS,
    /** Class token after the final LayerNorm. */
    CLS_NORMED,
    /** Final-norm class token times the visual projection (CLIP, OpenCLIP). */
    EMBEDDING,
    /** Mean of the last block's patch tokens (registers and class token excluded). */
    PATCH_MEAN,
    /** {@link #CLS} concatenated with {@link #PATCH_MEAN}: the patch-level objective's feature. */
    CLS_PATCH,
    /**
     * DreamSim's patch model: every last-block token centred and scaled to unit L2 norm, then the
     * class token concatenated with the mean of the patch tokens.
     */
    DREAMSIM_PATCH,
    /** The last block's patch tokens as a [grid_h, grid_w, D] grid, for dense probes. */
    PATCH_TOKENS;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FeatureMode parse(String s) {
        for (FeatureMode m : values()) {
            if (m.cliName().equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new PerceptException("unknown feature mode '" + s + "'; choose one of "
                + Arrays.stream(values()).map(FeatureMode::cliName).collect(Collectors.joining(", ")));
    }
}
