package dev.percept.model;

import dev.percept.PerceptException;
import dev.percept.tensor.ActivationCheckpoints;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A loaded model ready to embed: the transformer, the preprocessing its folder declares, and the
 * feature each family uses by default (the projected embedding where there is a projection,
 * else the class token).
 */
public final class Backbone implements AutoCloseable {
    private final String name;
    private final String layout;
    private final VisionTransformer vit;
    private final InputSpec input;
    private final Precision precision;
    private MlpHead head;

    Backbone(String name, String layout, VisionTransformer vit, InputSpec input, Precision precision) {
        this.name = name;
        this.layout = layout;
        this.vit = vit;
        this.input = input;
        this.precision = precision;
    }

    public String name() {
        return name;
    }

    public String layout() {
        return layout;
    }

    public VitConfig config() {
        return vit.config();
    }

    public VisionTransformer transformer() {
        return vit;
    }

    /** The model's device in float32: where its features, and heads and probes on them, live. */
    public Placement placement() {
        return vit.placement().floats();
    }

    /** The input size, filter and normalisation the model folder declares. */
    public InputSpec input() {
        return input;
    }

    public Precision precision() {
        return precision;
    }

    public FeatureMode defaultFeatures() {
        return vit.config().hasProjection() ? FeatureMode.EMBEDDING : FeatureMode.CLS;
    }

    /**
     * Features of a batch of normalised pixels [B, 3, H, W] as a float32 tensor on the model's
     * device: [B, dim], or [B, gh, gw, D] for {@link FeatureMode#PATCH_TOKENS}.
     */
    public Tensor features(Tensor pixels, FeatureMode mode) {
        return features(pixels, mode, null);
    }

    /** {@link #features(Tensor, FeatureMode)} with the transformer's blocks run through {@code checkpoints} unless null. */
    public Tensor features(Tensor pixels, FeatureMode mode, ActivationCheckpoints checkpoints) {
        Tensor raw = backboneFeatures(pixels, mode, checkpoints);
        return head == null || mode != head.features() ? raw : head.apply(raw);
    }

    /**
     * Puts a trained MLP head on the features (DreamSim's MLP variant); it applies to the feature
     * mode it was trained on and leaves the others (patch tokens for dense probes) as they are.
     * The backbone owns the head from now on.
     */
    public void attachHead(MlpHead head, FeatureMode mode) {
        if (mode != head.features() || head.inFeatures() != vit.config().featureDim(mode)) {
            throw new PerceptException("the head was trained on " + head.features().cliName() + " features of width "
                    + head.inFeatures() + "; " + name + " gives " + mode.cliName() + " features of width "
                    + vit.config().featureDim(mode));
        }
        this.head = head;
    }

    /** {@link #features} without the MLP head. */
    private Tensor backboneFeatures(Tensor pixels, FeatureMode mode, ActivationCheckpoints checkpoints) {
        Tensor tokens = vit.forward(pixels, checkpoints);
        long batch = tokens.size(0);
        int prefix = vit.prefixTokens();
        long patches = tokens.size(1) - prefix;
        Tensor cls = tokens.select(1, 0);
        Tensor out = switch (mode) {
            case CLS -> cls;
            case CLS_NORMED -> vit.finalNorm(cls);
            case EMBEDDING -> vit.project(vit.finalNorm(cls));
            case PATCH_MEAN -> patchMean(tokens, prefix, patches);
            case CLS_PATCH -> Ops.cat(1, cls.to(ScalarType.Float), patchMean(tokens, prefix, patches));
            case DREAMSIM_PATCH -> dreamsimPatch(tokens, prefix, patches);
            case PATCH_TOKENS -> tokens.narrow(1, prefix, patches)
                    .reshape(batch, pixels.size(2) / vit.config().patch(), pixels.size(3) / vit.config().patch(), -1);
        };
        return out.to(ScalarType.Float);
    }

    /** Each token centred and L2-normalised in float32, then [class token, mean of patch tokens]. */
    private static Tensor dreamsimPatch(Tensor tokens, int prefix, long patches) {
        long batch = tokens.size(0);
        long width = tokens.size(2);
        Tensor normed = Ops.normalizeRows(Ops.centerRows(tokens.to(ScalarType.Float).reshape(-1, width)))
                .reshape(batch, -1, width);
        return Ops.cat(1, normed.select(1, 0), patchMean(normed, prefix, patches));
    }

    /** Mean over patch tokens, accumulated in float32 whatever the working precision. */
    private static Tensor patchMean(Tensor tokens, int prefix, long patches) {
        return tokens.narrow(1, prefix, patches).to(ScalarType.Float).mean(1);
    }

    @Override
    public void close() {
        if (head != null) {
            head.close();
        }
        vit.close();
    }
}
