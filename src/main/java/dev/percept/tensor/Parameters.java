package dev.percept.tensor;

import dev.percept.io.FloatArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Trainable float32 tensors by name, in a fixed order: what an optimizer updates and a checkpoint
 * or adapter file saves. A view: the model or kernel that made the tensors owns their memory.
 */
public final class Parameters {
    private final List<String> names;
    private final List<Tensor> tensors;

    Parameters(List<String> names, List<Tensor> tensors) {
        this.names = List.copyOf(names);
        this.tensors = List.copyOf(tensors);
    }

    /** The tensors of {@code named} in its iteration order. */
    public static Parameters of(Map<String, Tensor> named) {
        return new Parameters(new ArrayList<>(named.keySet()), new ArrayList<>(named.values()));
    }

    /** All parameters of {@code parts}, in order; names must not repeat. */
    public static Parameters concat(List<Parameters> parts) {
        List<String> names = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (Parameters p : parts) {
            names.addAll(p.names);
            tensors.addAll(p.tensors);
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("parameter names repeat: " + names);
        }
        return new Parameters(names, tensors);
    }

    /** The same tensors, each name prefixed. */
    public Parameters withPrefix(String prefix) {
        return new Parameters(names.stream().map(n -> prefix + n).toList(), tensors);
    }

    public List<String> names() {
        return names;
    }

    /** Trainable values over all tensors. */
    public long count() {
        return tensors.stream().mapToLong(Tensor::numel).sum();
    }

    /** Shapes and current values by name, as written to safetensors files. */
    public Map<String, FloatArray> values() {
        Map<String, FloatArray> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), Tensors.floatArray(tensors.get(i)));
        }
        return out;
    }

    /** Overwrites one parameter's values (outside autograd). */
    public void set(String name, float[] values) {
        Tensors.copyInto(tensor(name), values);
    }

    /** One parameter's accumulated gradient (zeros if none). */
    public float[] gradient(String name) {
        Tensor t = tensor(name);
        Tensor g = t.grad();
        return g.defined() ? Tensors.toFloats(g) : new float[(int) t.numel()];
    }

    List<Tensor> tensors() {
        return tensors;
    }

    Tensor tensor(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no parameter " + name + " among " + names);
        }
        return tensors.get(i);
    }
}
