package dev.percept.model;

/**
 * The shape and numerics of a Vision Transformer, as read from a checkpoint. Everything the
 * forward pass needs beyond the weights themselves.
 *
 * @param hidden token width D
 * @param layers number of transformer blocks
 * @param heads attention heads (D must divide evenly)
 * @param mlpHidden hidden width of each block's MLP
 * @param patch patch side in pixels
 * @param grid side of the square patch grid the position embedding was trained for
 * @param registers register tokens placed after the class token (DINOv2 "reg" models), 0 if none
 * @param eps LayerNorm epsilon
 * @param activation the MLP nonlinearity
 * @param preNorm a LayerNorm on the embedded tokens before the first block (CLIP's ln_pre)
 * @param layerScale per-channel scales on both residual branches (DINOv2)
 * @param qkvBias the fused qkv projection has a bias
 * @param patchBias the patch projection has a bias (CLIP's has none)
 * @param projectionDim width of the visual projection applied to the normed class token, 0 if none
 * @param posEmbedResize how the position embedding is resampled to another patch grid
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
        boolean preNorm,
        boolean layerScale,
        boolean qkvBias,
        boolean patchBias,
        int projectionDim,
        PosEmbedResize posEmbedResize) {

    public VitConfig {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden size " + hidden + " is not divisible into " + heads + " attention heads");
        }
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
        QUICK_GELU
    }

    /**
     * Position-embedding resampling differs by the checkpoint's origin; both are bicubic without
     * antialiasing.
     */
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
