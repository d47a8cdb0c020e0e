package dev.percept.tensor;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.io.SafetensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Trainable tensors and their Adam moments in one safetensors file, with a job's counters in its
 * metadata, written atomically: a kill at any moment leaves the previous checkpoint or the new
 * one, never a mix. Values are saved exactly (float32), so a resumed job continues bit for bit.
 */
public final class TrainingCheckpoint {
    private static final String ADAM_STEPS = "adam_steps";

    private TrainingCheckpoint() {}

    /** Saves the parameters {@code adam} updates, its moments, and {@code counters}. */
    public static void save(Path file, Adam adam, Map<String, String> counters) {
        List<String> names = adam.parameters().names();
        List<Tensor> params = adam.parameters().tensors();
        Map<String, FloatArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(names.get(i), Tensors.floatArray(params.get(i)));
            tensors.put("adam.m." + names.get(i), Tensors.floatArray(adam.firstMoments().get(i)));
            tensors.put("adam.v." + names.get(i), Tensors.floatArray(adam.secondMoments().get(i)));
        }
        Map<String, String> meta = new LinkedHashMap<>(counters);
        meta.put(ADAM_STEPS, Long.toString(adam.steps()));
        SafetensorsWriter.write(file, tensors, meta);
    }

    /** Restores the parameters {@code adam} updates and its moments in place from {@code file}; returns the counters saved with them. */
    public static Map<String, String> load(Path file, Adam adam) {
        List<String> names = adam.parameters().names();
        List<Tensor> params = adam.parameters().tensors();
        Safetensors st = Safetensors.read(file);
        for (int i = 0; i < names.size(); i++) {
            copy(st, names.get(i), params.get(i));
            copy(st, "adam.m." + names.get(i), adam.firstMoments().get(i));
            copy(st, "adam.v." + names.get(i), adam.secondMoments().get(i));
        }
        Map<String, String> meta = st.metadata();
        try {
            adam.restore(Long.parseLong(meta.get(ADAM_STEPS)));
        } catch (RuntimeException e) {
            throw new PerceptException(file + ": checkpoint metadata has no valid " + ADAM_STEPS + " (" + meta + ")", e);
        }
        return meta;
    }

    private static void copy(Safetensors st, String name, Tensor target) {
        if (!st.contains(name)) {
            throw new PerceptException(st.file() + " has no tensor " + name + "; it was written for another model or "
                    + "configuration");
        }
        SafetensorsTensor t = st.tensor(name);
        if (t.elementCount() != target.numel()) {
            throw new PerceptException(st.file() + ": " + name + " has " + t.elementCount() + " values, the model needs "
                    + target.numel());
        }
        Tensors.copyInto(target, t.toFloats());
    }
}
