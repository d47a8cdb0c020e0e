package dev.percept.model;

import java.util.Set;

/**
 * The shape and numerics of a Vision Transformer, as read from a checkpoint. Everything the
 * forward pass needs beyond the weights themselves.
 *
 * @param hidden token width D
 * @param layers number of transformer blocks
 * @param heads attention heads (D must divide evenly)
 * @param mlpHidden hidden width of each block's MLP (of each branch, for a gated MLP)
 * @param patch patch side in pixels
 * @param grid side of the square patch grid the model was trained at (for learned positions: the
 *     grid of the position table)
 * @param registers register tokens placed after the class token (DINOv2 "reg" models, DINOv3's
 *     storage tokens), 0 if none
 * @param eps LayerNorm epsilon
 * @param activation the MLP nonlinearity (the gate's, for a gated MLP)
 * @param feedForward plain two-layer MLP or gated (SwiGLU)
 * @param parts the optional parts this model has
 * @param projectionDim width of the visual projection applied to the normed class token, 0 if none
 * @param positions how token positions enter the model
 */
public record VitConfig(
        int hidden,
        int layers,
        int heads,
        int mlpHidden,
        int patch,
        int grid,
        int registers,
        double eps,
        Activation activation,
        FeedForward feedForward,
        Set<Part> parts,
        int projectionDim,
        Positions positions) {

    public VitConfig {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden size " + hidden + " is not divisible into " + heads + " attention heads");
        }
        if (positions instanceof Rotary && (hidden / heads) % 4 != 0) {
            throw new IllegalArgumentException("rotary positions need a head width divisible by 4, got " + hidden / heads);
        }
        parts = Set.copyOf(parts);
    }

    public int headDim() {
        return hidden / heads;
    }

    /** The image side the checkpoint was trained at. */
    public int imageSize() {
        return grid * patch;
    }

    public boolean hasProjection() {
        return projectionDim > 0;
    }

    public boolean has(Part part) {
        return parts.contains(part);
    }

    /** Width of a feature vector in the given mode (for {@code PATCH_TOKENS}: per token). */
    public int featureDim(FeatureMode mode) {
        return switch (mode) {
            case CLS, CLS_NORMED, PATCH_MEAN, PATCH_TOKENS -> hidden;
            case CLS_PATCH, DREAMSIM_PATCH -> 2 * hidden;
            case EMBEDDING -> projectionDim;
        };
    }

    /** The MLP nonlinearity; the weights don't record it, the config or model name does. */
    public enum Activation {
        GELU,
        QUICK_GELU,
        /** x * sigmoid(x), the gate of SwiGLU. */
        SILU
    }

    /** The MLP of each block. */
    public enum FeedForward {
        /** fc2(act(fc1(x))). */
        PLAIN,
        /** fc2(act(fc1_g(x)) * fc1_x(x)): SwiGLU with SiLU (DINOv3's "plus" and 7B models). */
        GATED
    }

    /** Parts a family may or may not have. */
    public enum Part {
        /** A LayerNorm on the embedded tokens before the first block (CLIP's ln_pre). */
        PRE_NORM,
        /** Per-channel scales on both residual branches (DINOv2, DINOv3). */
        LAYER_SCALE,
        /** The fused qkv projection has a bias (DINOv3's key third is zero). */
        QKV_BIAS,
        /** The patch projection has a bias (CLIP's has none). */
        PATCH_BIAS
    }

    /** How the model knows where each patch token sits. */
    public sealed interface Positions {}

    /**
     * A learned embedding for the class token and a grid x grid table for the patches, added
     * before the blocks and resampled bicubically (no antialias) for another grid.
     */
    public record Learned(PosEmbedResize resize) implements Positions {}

    /**
     * DINOv3's 2D rotary embedding of the patch tokens' queries and keys in every block; nothing is
     * added to the tokens, so any grid works as is. Periods theta^(4j / head width) unless the
     * checkpoint stores its own ({@code rope.periods}).
     */
    public record Rotary(double theta) implements Positions {}

    /** Position-embedding resampling differs by the checkpoint's origin. */
    public enum PosEmbedResize {
        /** Hugging Face: to the target grid size, coordinates from the size ratio. */
        TO_SIZE,
        /**
         * The DINO / DINOv2 hub code: scale factor (grid + 0.1) / trained grid, coordinates from
         * that factor.
         */
        SCALE_WITH_OFFSET
    }
}
