package dev.percept.model;

import dev.percept.PerceptException;
import dev.percept.model.VitConfig.FeedForward;
import dev.percept.model.VitConfig.Learned;
import dev.percept.model.VitConfig.Part;
import dev.percept.model.VitConfig.PosEmbedResize;
import dev.percept.model.VitConfig.Rotary;
import dev.percept.tensor.ActivationCheckpoints;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.NativeOwner;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Parameters;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Precision;
import dev.percept.tensor.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One Vision Transformer for every family (DINO, DINOv2, DINOv3, CLIP, OpenCLIP, SynCLR): the
 * options in {@link VitConfig} select class/register tokens, learned or rotary positions, ln_pre,
 * LayerScale, a plain or gated MLP, the activation and the projection. Weights come in under
 * canonical (timm-style) names; the layouts in {@code dev.percept.model.layout} map each upstream
 * format onto them.
 *
 * <p>Frozen weights are cast once to the working precision; the position embedding stays in
 * float32 so that resampling it to another grid is as exact as upstream's, and rotary angles are
 * computed and applied in float32 as DINOv3 does.
 */
public final class VisionTransformer implements AutoCloseable {
    private final VitConfig config;
    /** The device and the working precision of the frozen weights and activations. */
    private final Placement placement;
    private final Linear patchEmbed;
    private final Tensor classToken;
    private final Tensor registerTokens;
    private final Tensor posEmbed;
    /** Rotary periods [head / 4] for DINOv3-style positions; null with a learned position embedding. */
    private final float[] ropePeriods;
    private final LayerNorm normPre;
    private final List<Block> blocks;
    private final LayerNorm norm;
    private final Linear head;
    private final NativeOwner owner = new NativeOwner();
    /** The weights by canonical name, as held (for training every weight, and saving them). */
    private final Map<String, Tensor> named = new LinkedHashMap<>();
    private static final List<String> PLAIN_PROJECTIONS = List.of("attn.qkv", "attn.proj", "mlp.fc1", "mlp.fc2");
    private static final List<String> GATED_PROJECTIONS =
            List.of("attn.qkv", "attn.proj", "mlp.fc1_g", "mlp.fc1_x", "mlp.fc2");

    /** LoRA dropout is active only while training. */
    private boolean training;

    /**
     * @param weights canonical name to float32 CPU tensor; the constructor takes ownership and
     *     closes them
     */
    public VisionTransformer(VitConfig config, Map<String, Tensor> weights, Precision precision, ComputeDevice where) {
        this.config = config;
        this.placement = new Placement(where, precision.resolve(where).scalarType());
        Map<String, Tensor> w = new HashMap<>(weights);
        if (config.positions() instanceof Rotary r) {
            // The hub checkpoints store the periods they were trained with; others derive them.
            Tensor stored = w.remove("rope.periods");
            this.ropePeriods = stored == null ? Rope.periods(r.theta(), config.headDim()) : Tensors.toFloats(stored);
            if (stored != null) {
                stored.close();
            }
            this.posEmbed = null;
        } else {
            this.ropePeriods = null;
            this.posEmbed = take(w, "pos_embed", ScalarType.Float);
        }
        this.patchEmbed = new Linear(take(w, "patch_embed.proj.weight"), takeOptional(w, "patch_embed.proj.bias"));
        this.classToken = take(w, "cls_token");
        this.registerTokens = config.registers() > 0 ? take(w, "reg_token") : null;
        this.normPre = config.has(Part.PRE_NORM) ? layerNorm(w, "norm_pre") : null;
        boolean layerScale = config.has(Part.LAYER_SCALE);
        boolean gated = config.feedForward() == FeedForward.GATED;
        this.blocks = new ArrayList<>(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            String p = "blocks." + i + ".";
            blocks.add(new Block(
                    layerNorm(w, p + "norm1"),
                    new Linear(take(w, p + "attn.qkv.weight"), takeOptional(w, p + "attn.qkv.bias")),
                    linear(w, p + "attn.proj"),
                    layerScale ? take(w, p + "ls1.gamma") : null,
                    layerNorm(w, p + "norm2"),
                    gated ? linear(w, p + "mlp.fc1_g") : null,
                    linear(w, p + (gated ? "mlp.fc1_x" : "mlp.fc1")),
                    linear(w, p + "mlp.fc2"),
                    layerScale ? take(w, p + "ls2.gamma") : null));
        }
        this.norm = layerNorm(w, "norm");
        this.head = config.hasProjection() ? new Linear(take(w, "head.weight"), null) : null;
        if (!w.isEmpty()) {
            throw new IllegalArgumentException("weights not used by the model: " + w.keySet());
        }
    }

    public VitConfig config() {
        return config;
    }

    /** The model's device and working precision: whatever meets its weights is made there. */
    public Placement placement() {
        return placement;
    }

    /**
     * The projections a LoRA branch can adapt, by canonical module name ({@code blocks.<i>.attn.qkv},
     * {@code .attn.proj}, {@code .mlp.fc1}, {@code .mlp.fc2}; a gated MLP has {@code .mlp.fc1_g}
     * and {@code .mlp.fc1_x} instead of {@code .mlp.fc1}), in block order.
     */
    public Map<String, long[]> adaptableModules() {
        Map<String, long[]> out = new LinkedHashMap<>();
        List<String> projections = config.feedForward() == FeedForward.GATED ? GATED_PROJECTIONS : PLAIN_PROJECTIONS;
        for (int i = 0; i < blocks.size(); i++) {
            for (String projection : projections) {
                String name = "blocks." + i + "." + projection;
                Tensor w = linearNamed(name).weight;
                out.put(name, new long[] {w.size(0), w.size(1)});
            }
        }
        return out;
    }

    /**
     * Every weight by canonical (timm) name, made trainable: each records gradients from now on.
     * For training a model from scratch (the stand-in's pretraining); alignment uses LoRA instead.
     */
    public Parameters trainAllWeights() {
        named.values().forEach(t -> t.requires_grad_(true));
        return Parameters.of(named);
    }

    /**
     * Attaches a new trainable LoRA branch of rank {@code rank} to one projection (see {@link
     * #adaptableModules}), initialised as PEFT does: A from kaiming_uniform(a = sqrt 5), i.e.
     * U(-1/sqrt(in), 1/sqrt(in)), drawn from libtorch's default generator, and B zero, so the
     * model starts unchanged. The model owns the branch; returns its {@code <module>.lora_A.weight}
     * and {@code <module>.lora_B.weight}.
     */
    public Parameters attachLora(String module, int rank, double scale, double dropout) {
        Linear target = linearNamed(module);
        long out = target.weight.size(0);
        long in = target.weight.size(1);
        double bound = 1 / Math.sqrt(in);
        Placement masters = placement.floats(); // on the model's device, float32 whatever the precision
        Tensor a = owner.keep(masters.parameter(masters.uniform(-bound, bound, rank, in)));
        Tensor b = owner.keep(masters.parameter(masters.zeros(out, rank)));
        target.lora = new LoraBranch(a, b, scale, dropout);
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put(module + ".lora_A.weight", a);
        named.put(module + ".lora_B.weight", b);
        return Parameters.of(named);
    }

    /** Training mode switches LoRA dropout on; the frozen weights never change. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    private Linear linearNamed(String module) {
        String[] parts = module.split("\\.", 3);
        if (parts.length == 3 && parts[0].equals("blocks") && parts[1].matches("\\d+")) {
            int i = Integer.parseInt(parts[1]);
            if (i < blocks.size()) {
                Block b = blocks.get(i);
                boolean gated = b.gate != null;
                Linear found = switch (parts[2]) {
                    case "attn.qkv" -> b.qkv;
                    case "attn.proj" -> b.proj;
                    case "mlp.fc1" -> gated ? null : b.fc1;
                    case "mlp.fc1_x" -> gated ? b.fc1 : null;
                    case "mlp.fc1_g" -> b.gate;
                    case "mlp.fc2" -> b.fc2;
                    default -> null;
                };
                if (found != null) {
                    return found;
                }
            }
        }
        throw new IllegalArgumentException("no adaptable projection named " + module);
    }

    /** Tokens before the patch tokens: the class token and any registers. */
    public int prefixTokens() {
        return 1 + config.registers();
    }

    /**
     * The last block's output, before the final norm: [B, prefix + gh * gw, D] in the working
     * precision, for normalised pixels [B, 3, H, W] (float32, any device).
     */
    public Tensor forward(Tensor pixels) {
        return forward(pixels, null);
    }

    /**
     * {@link #forward(Tensor)}, with each block run through {@code checkpoints} (activation
     * checkpointing: the blocks' activations are recomputed in its backward) unless it is null.
     */
    public Tensor forward(Tensor pixels, ActivationCheckpoints checkpoints) {
        long batch = pixels.size(0);
        long gh = pixels.size(2) / config.patch();
        long gw = pixels.size(3) / config.patch();
        if (gh == 0 || gw == 0) {
            throw new PerceptException("input " + pixels.size(2) + "x" + pixels.size(3)
                    + " is smaller than one " + config.patch() + "-pixel patch");
        }
        Tensor x = Ops.scoped(() -> embed(pixels, batch, gh, gw));
        Rope rope = ropePeriods == null ? null : Rope.forGrid(ropePeriods, gh, gw, placement.floats());
        for (Block block : blocks) {
            Tensor in = x;
            if (checkpoints != null) {
                x = checkpoints.run(in, t -> block.apply(t, rope));
            } else {
                x = Ops.scoped(() -> block.apply(in, rope));
                Ops.release(in);
            }
        }
        return checkpoints == null ? x : checkpoints.resume(x);
    }

    /** Patch embedding, class token, position embedding, registers and ln_pre. */
    private Tensor embed(Tensor pixels, long batch, long gh, long gw) {
        Tensor x = Ops.patchify(placement.move(pixels), patchEmbed.weight, patchEmbed.bias, config.patch())
                .flatten(2, 3)
                .transpose(1, 2);
        x = Ops.cat(1, classToken.expand(batch, -1, -1), x);
        if (posEmbed != null) {
            x.add_(positionEmbedding(gh, gw));
        }
        if (registerTokens != null) {
            // Registers carry no position: they go in after the embedding is added.
            x = Ops.cat(1, x.narrow(1, 0, 1), registerTokens.expand(batch, -1, -1), x.narrow(1, 1, gh * gw));
        }
        return normPre == null ? x : normPre.apply(x);
    }

    /** The final LayerNorm, applied to every token. */
    public Tensor finalNorm(Tensor tokens) {
        return norm.apply(tokens);
    }

    /** The visual projection of final-normed class tokens [B, D] to [B, projectionDim]. */
    public Tensor project(Tensor normedClassTokens) {
        if (head == null) {
            throw new PerceptException("this model has no visual projection (only CLIP and OpenCLIP do); "
                    + "use --features cls or cls_normed");
        }
        return head.apply(normedClassTokens);
    }

    /** The position embedding for a gh x gw patch grid, resampled if the grid differs. */
    private Tensor positionEmbedding(long gh, long gw) {
        int m = config.grid();
        if (gh == m && gw == m) {
            return posEmbed.to(placement.dtype());
        }
        long d = config.hidden();
        Tensor patchPos = posEmbed.narrow(1, 1, (long) m * m).reshape(1, m, m, d).permute(0, 3, 1, 2);
        boolean offset = ((Learned) config.positions()).resize() == PosEmbedResize.SCALE_WITH_OFFSET;
        double scaleH = offset ? (gh + 0.1) / m : Double.NaN;
        double scaleW = offset ? (gw + 0.1) / m : Double.NaN;
        Tensor resized = Ops.resizeBicubic(patchPos, gh, gw, scaleH, scaleW)
                .permute(0, 2, 3, 1)
                .reshape(1, gh * gw, d);
        return Ops.cat(1, posEmbed.narrow(1, 0, 1), resized).to(placement.dtype());
    }

    /** The activation, in place where no gradient needs the input. */
    private Tensor activation(Tensor x) {
        return switch (config.activation()) {
            case GELU -> Ops.gelu(x);
            case QUICK_GELU -> Ops.quickGelu(x);
            case SILU -> Ops.silu(x);
        };
    }

    @Override
    public void close() {
        owner.close();
    }

    // ---- weights ----

    private Tensor take(Map<String, Tensor> w, String name) {
        return take(w, name, placement.dtype());
    }

    private Tensor take(Map<String, Tensor> w, String name, ScalarType type) {
        Tensor source = w.remove(name);
        if (source == null) {
            throw new IllegalArgumentException("missing canonical weight " + name);
        }
        Tensor t = placement.withType(type).move(source).contiguous();
        source.close(); // drops only this handle; t keeps the storage if no copy was needed
        owner.keep(t); // a PointerScope open around construction must not free the weights
        named.put(name, t);
        return t;
    }

    private Tensor takeOptional(Map<String, Tensor> w, String name) {
        return w.containsKey(name) ? take(w, name) : null;
    }

    private Linear linear(Map<String, Tensor> w, String prefix) {
        return new Linear(take(w, prefix + ".weight"), takeOptional(w, prefix + ".bias"));
    }

    private LayerNorm layerNorm(Map<String, Tensor> w, String prefix) {
        return new LayerNorm(take(w, prefix + ".weight"), take(w, prefix + ".bias"), config.eps());
    }

    // ---- building blocks ----

    /** A frozen projection, with a trainable LoRA branch once one is attached. */
    private final class Linear {
        final Tensor weight;
        final Tensor bias;
        LoraBranch lora;

        Linear(Tensor weight, Tensor bias) {
            this.weight = weight;
            this.bias = bias;
        }

        Tensor apply(Tensor x) {
            Tensor y = Ops.linear(x, weight, bias);
            return lora == null ? y : y.add_(lora.apply(x, training));
        }
    }

    record LayerNorm(Tensor weight, Tensor bias, double eps) {
        Tensor apply(Tensor x) {
            return Ops.layerNorm(x, weight, bias, eps);
        }
    }

    /**
     * A pre-norm transformer block: x + ls1 * attn(norm1(x)), then x + ls2 * mlp(norm2(x)).
     * {@code gate} is set only for a gated MLP, where {@code fc1} is its other branch.
     */
    private final class Block {
        final LayerNorm norm1;
        final Linear qkv;
        final Linear proj;
        final Tensor ls1;
        final LayerNorm norm2;
        final Linear gate;
        final Linear fc1;
        final Linear fc2;
        final Tensor ls2;

        Block(LayerNorm norm1, Linear qkv, Linear proj, Tensor ls1,
                LayerNorm norm2, Linear gate, Linear fc1, Linear fc2, Tensor ls2) {
            this.norm1 = norm1;
            this.qkv = qkv;
            this.proj = proj;
            this.ls1 = ls1;
            this.norm2 = norm2;
            this.gate = gate;
            this.fc1 = fc1;
            this.fc2 = fc2;
            this.ls2 = ls2;
        }

        /**
         * Each branch runs in its own memory scope so that its intermediates are freed before the
         * next one allocates; the residual sums reuse the branch outputs' memory.
         */
        Tensor apply(Tensor x, Rope rope) {
            Tensor attended = Ops.scoped(() -> scaled(ls1, attention(norm1.apply(x), rope))).add_(x);
            return Ops.scoped(() -> scaled(ls2, mlp(norm2.apply(attended)))).add_(attended);
        }

        Tensor mlp(Tensor x) {
            return gate == null
                    ? fc2.apply(activation(fc1.apply(x)))
                    : fc2.apply(activation(gate.apply(x)).mul_(fc1.apply(x)));
        }

        Tensor attention(Tensor x, Rope rope) {
            long b = x.size(0);
            long t = x.size(1);
            Tensor heads = qkv.apply(x)
                    .view(b, t, 3, config.heads(), config.headDim())
                    .permute(2, 0, 3, 1, 4);
            Tensor q = heads.select(0, 0);
            Tensor k = heads.select(0, 1);
            if (rope != null) {
                q = rope.apply(q);
                k = rope.apply(k);
            }
            Tensor out = Ops.attention(q, k, heads.select(0, 2));
            return proj.apply(out.transpose(1, 2).reshape(b, t, config.hidden()));
        }

        private Tensor scaled(Tensor gamma, Tensor x) {
            return gamma == null ? x : x.mul_(gamma);
        }
    }
}
