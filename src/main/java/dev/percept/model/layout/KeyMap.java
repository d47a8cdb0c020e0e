package dev.percept.model.layout;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.model.Checkpoint;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Placement;
import dev.percept.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Tensor;

/**
 * How one upstream layout's tensors become the model's canonical tensors: which source keys are
 * expected with which shapes, how they combine (fused q/k/v, transposed projections, reshaped
 * tokens), and which keys are known but unused. {@link #check} reports every missing,
 * unexpected and mis-shaped key in one error before any weight is read.
 */
public final class KeyMap {
    private final List<Rule> rules = new ArrayList<>();
    private final List<Predicate<String>> ignored = new ArrayList<>();

    private record Source(String key, long[] shape) {}

    /** {@code build} makes the canonical tensor from the sources; {@code split} undoes it. */
    private record Rule(String target, List<Source> sources, Function<List<Tensor>, Tensor> build,
            Function<Tensor, List<Tensor>> split) {}

    /** {@code target} is {@code source} as is. */
    public KeyMap copy(String target, String source, long... shape) {
        rules.add(new Rule(target, List.of(new Source(source, shape)), ts -> ts.get(0), t -> List.of(t)));
        return this;
    }

    /**
     * A block's norms and attention projections where the checkpoint already uses the model's own
     * (timm) names: {@code norm1}, {@code attn.qkv.weight}, {@code attn.proj}, {@code norm2}.
     */
    public KeyMap timmBlock(String block, long d) {
        return copy(block + "norm1.weight", block + "norm1.weight", d)
                .copy(block + "norm1.bias", block + "norm1.bias", d)
                .copy(block + "attn.qkv.weight", block + "attn.qkv.weight", 3L * d, d)
                .copy(block + "attn.proj.weight", block + "attn.proj.weight", d, d)
                .copy(block + "attn.proj.bias", block + "attn.proj.bias", d)
                .copy(block + "norm2.weight", block + "norm2.weight", d)
                .copy(block + "norm2.bias", block + "norm2.bias", d);
    }

    /** A block's plain MLP under the model's own (timm) names, {@code mlp.fc1} and {@code mlp.fc2}. */
    public KeyMap timmMlp(String block, long d, long hidden) {
        return copy(block + "mlp.fc1.weight", block + "mlp.fc1.weight", hidden, d)
                .copy(block + "mlp.fc1.bias", block + "mlp.fc1.bias", hidden)
                .copy(block + "mlp.fc2.weight", block + "mlp.fc2.weight", d, hidden)
                .copy(block + "mlp.fc2.bias", block + "mlp.fc2.bias", d);
    }

    /** {@code target} is {@code source} (of {@code sourceShape}) reshaped to {@code targetShape}. */
    public KeyMap reshape(String target, String source, long[] sourceShape, long... targetShape) {
        rules.add(new Rule(target, List.of(new Source(source, sourceShape)), ts -> ts.get(0).reshape(targetShape),
                t -> List.of(t.reshape(sourceShape))));
        return this;
    }

    /** {@code target} is the transpose of a 2-d {@code source} (stored as x @ W, used as W x). */
    public KeyMap transpose(String target, String source, long... sourceShape) {
        rules.add(new Rule(target, List.of(new Source(source, sourceShape)), ts -> ts.get(0).t().contiguous(),
                t -> List.of(t.t().contiguous())));
        return this;
    }

    /** {@code target} is the concatenation along dim 0 of the sources, each of {@code shape}. */
    public KeyMap fuse(String target, long[] shape, String... sources) {
        List<Source> list = Arrays.stream(sources).map(k -> new Source(k, shape)).toList();
        rules.add(new Rule(target, list, ts -> Ops.cat(0, ts.toArray(Tensor[]::new)),
                t -> list.stream().map(src -> t.narrow(0, list.indexOf(src) * shape[0], shape[0]).contiguous()).toList()));
        return this;
    }

    /**
     * The fused qkv projection of block {@code block} ("blocks.3.") from separate q, k and v
     * projections named {@code prefix + q + ".weight"} and so on.
     */
    public KeyMap fuseQkv(String block, String prefix, String q, String k, String v, long d, boolean bias) {
        fuse(block + "attn.qkv.weight", new long[] {d, d}, prefix + q + ".weight", prefix + k + ".weight", prefix + v + ".weight");
        if (bias) {
            fuse(block + "attn.qkv.bias", new long[] {d}, prefix + q + ".bias", prefix + k + ".bias", prefix + v + ".bias");
        }
        return this;
    }

    /**
     * A fused qkv bias from separate q, k and v biases where some are absent (null): an absent
     * one is zero, as DINOv3's key bias (Hugging Face has no k_proj bias, timm only q_bias and
     * v_bias).
     */
    public KeyMap fuseQkvBias(String target, long d, String q, String k, String v) {
        String[] slots = {q, k, v};
        List<Source> list = Arrays.stream(slots).filter(s -> s != null).map(s -> new Source(s, new long[] {d})).toList();
        rules.add(new Rule(target, list, ts -> {
            Tensor[] parts = new Tensor[3];
            int next = 0;
            for (int i = 0; i < 3; i++) {
                parts[i] = slots[i] == null ? Placement.CPU.zeros(d) : ts.get(next++);
            }
            return Ops.cat(0, parts);
        }, t -> {
            List<Tensor> present = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (slots[i] != null) {
                    present.add(t.narrow(0, i * d, d).contiguous());
                }
            }
            return present;
        }));
        return this;
    }

    /**
     * The DINOv3 hub's fused qkv bias, multiplied by its stored {@code bias_mask} (ones for q and
     * v, zeros for k), so the key bias is zero whatever the file holds there.
     */
    public KeyMap maskedQkvBias(String target, String bias, String mask, long d) {
        long[] shape = {3 * d};
        rules.add(new Rule(target, List.of(new Source(bias, shape), new Source(mask, shape)),
                ts -> ts.get(0).mul(ts.get(1)),
                t -> List.of(t, Ops.cat(0, Placement.CPU.ones(d), Placement.CPU.zeros(d), Placement.CPU.ones(d)))));
        return this;
    }

    /** Keys matching this are part of the layout but not of the vision model (text tower, heads). */
    public KeyMap ignore(Predicate<String> keys) {
        ignored.add(keys);
        return this;
    }

    /** Fails with one message listing every missing, unexpected and mis-shaped key. */
    public void check(Checkpoint checkpoint) {
        Map<String, long[]> present = checkpoint.shapes();
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        TreeSet<String> expected = new TreeSet<>();
        for (Rule rule : rules) {
            for (Source s : rule.sources) {
                expected.add(s.key);
                long[] actual = present.get(s.key);
                if (actual == null) {
                    missing.add(s.key);
                } else if (!Arrays.equals(actual, s.shape)) {
                    misshaped.add(s.key + " has shape " + Arrays.toString(actual) + ", expected " + Arrays.toString(s.shape));
                }
            }
        }
        List<String> unexpected = present.keySet().stream()
                .filter(k -> !expected.contains(k) && ignored.stream().noneMatch(p -> p.test(k)))
                .sorted()
                .toList();
        if (missing.isEmpty() && misshaped.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder("checkpoint " + checkpoint.describe() + " does not match its layout:");
        section(msg, "missing keys", missing);
        section(msg, "unexpected keys", unexpected);
        section(msg, "mis-shaped keys", misshaped);
        throw new PerceptException(msg.toString());
    }

    /** Reads and combines every source: canonical name to float32 CPU tensor. */
    public Map<String, Tensor> load(Checkpoint checkpoint) {
        check(checkpoint);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Rule rule : rules) {
            List<Tensor> parts = rule.sources.stream().map(s -> checkpoint.load(s.key)).toList();
            Tensor built = rule.build.apply(parts);
            parts.stream().filter(p -> p != built).forEach(Tensor::close);
            out.put(rule.target, built);
        }
        return out;
    }

    /**
     * The inverse of {@link #load}: canonical tensors back under this layout's source keys, as
     * float32 arrays in rule order (for writing a checkpoint of the same layout).
     */
    public Map<String, FloatArray> unload(Map<String, Tensor> canonical) {
        Map<String, FloatArray> out = new LinkedHashMap<>();
        for (Rule rule : rules) {
            Tensor t = canonical.get(rule.target);
            if (t == null) {
                throw new IllegalArgumentException("no canonical tensor " + rule.target);
            }
            List<Tensor> parts = rule.split.apply(t);
            for (int i = 0; i < parts.size(); i++) {
                Source s = rule.sources.get(i);
                out.put(s.key, new FloatArray(s.shape, Tensors.toFloats(parts.get(i))));
            }
        }
        return out;
    }

    private static void section(StringBuilder msg, String title, List<String> keys) {
        if (!keys.isEmpty()) {
            msg.append("\n  ").append(keys.size()).append(' ').append(title).append(':');
            keys.forEach(k -> msg.append("\n    ").append(k));
        }
    }
}
