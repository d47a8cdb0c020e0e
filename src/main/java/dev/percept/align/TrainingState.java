package dev.percept.align;

import dev.percept.PerceptException;
import dev.percept.io.FloatArray;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.io.SafetensorsWriter;
import dev.percept.tensor.Adam;
import dev.percept.tensor.Ops;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Where a run stands after its last completed optimizer step, saved with the LoRA weights and the
 * Adam moments in one safetensors file (the counters in its metadata), written atomically: a kill
 * at any moment leaves the previous checkpoint or the new one, never a mix.
 *
 * @param steps optimizer steps completed over the whole run
 * @param validatedEpochs epochs whose validation (and epoch adapter) is done
 * @param bestEpoch the epoch (1-based) with the lowest validation loss so far, 0 if none
 * @param bestValLoss its validation loss
 * @param metricsBytes length of metrics.jsonl at this point; lines past it are re-written
 * @param epochLossSum the current epoch's training loss summed over its triplets so far
 * @param epochTriplets the triplets behind {@code epochLossSum}
 */
record TrainingState(long steps, int validatedEpochs, int bestEpoch, double bestValLoss, long metricsBytes,
        double epochLossSum, long epochTriplets) {
    static final TrainingState START = new TrainingState(0, 0, 0, Double.POSITIVE_INFINITY, 0, 0, 0);

    /** Saves this state with the parameters (named as given) and the optimizer's moments. */
    void save(Path file, List<String> names, List<Tensor> params, Adam adam) {
        Map<String, FloatArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(names.get(i), floats(params.get(i)));
            tensors.put("adam.m." + names.get(i), floats(adam.firstMoments().get(i)));
            tensors.put("adam.v." + names.get(i), floats(adam.secondMoments().get(i)));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("steps", Long.toString(steps));
        meta.put("adam_steps", Long.toString(adam.steps()));
        meta.put("validated_epochs", Integer.toString(validatedEpochs));
        meta.put("best_epoch", Integer.toString(bestEpoch));
        meta.put("best_val_loss", Double.toString(bestValLoss));
        meta.put("metrics_bytes", Long.toString(metricsBytes));
        meta.put("epoch_loss_sum", Double.toString(epochLossSum));
        meta.put("epoch_triplets", Long.toString(epochTriplets));
        SafetensorsWriter.write(file, tensors, meta);
    }

    /** Restores parameters and moments in place from {@code file} and returns the counters. */
    static TrainingState load(Path file, List<String> names, List<Tensor> params, Adam adam) {
        Safetensors st = Safetensors.read(file);
        for (int i = 0; i < names.size(); i++) {
            copy(st, names.get(i), params.get(i));
            copy(st, "adam.m." + names.get(i), adam.firstMoments().get(i));
            copy(st, "adam.v." + names.get(i), adam.secondMoments().get(i));
        }
        Map<String, String> meta = st.metadata();
        try {
            adam.restore(Long.parseLong(meta.get("adam_steps")));
            return new TrainingState(Long.parseLong(meta.get("steps")), Integer.parseInt(meta.get("validated_epochs")),
                    Integer.parseInt(meta.get("best_epoch")), Double.parseDouble(meta.get("best_val_loss")),
                    Long.parseLong(meta.get("metrics_bytes")), Double.parseDouble(meta.get("epoch_loss_sum")),
                    Long.parseLong(meta.get("epoch_triplets")));
        } catch (RuntimeException e) {
            throw new PerceptException(file + ": checkpoint metadata is incomplete (" + meta + ")", e);
        }
    }

    private static void copy(Safetensors st, String name, Tensor target) {
        if (!st.contains(name)) {
            throw new PerceptException(st.file() + " has no tensor " + name + "; it was written for another model or "
                    + "LoRA configuration");
        }
        SafetensorsTensor t = st.tensor(name);
        if (t.elementCount() != target.numel()) {
            throw new PerceptException(st.file() + ": " + name + " has " + t.elementCount() + " values, the model needs "
                    + target.numel());
        }
        Ops.copyInto(target, t.toFloats());
    }

    static FloatArray floats(Tensor t) {
        return new FloatArray(Ops.shape(t), Ops.toFloats(t.detach()));
    }

    /** After one more optimizer step over {@code triplets} with summed loss {@code lossSum}. */
    TrainingState afterStep(double lossSum, long triplets, long metricsBytes) {
        return new TrainingState(steps + 1, validatedEpochs, bestEpoch, bestValLoss, metricsBytes,
                epochLossSum + lossSum, epochTriplets + triplets);
    }

    /** After validating {@code epoch} (1-based); a new epoch's loss sum starts from zero. */
    TrainingState afterValidation(int epoch, boolean best, double valLoss, long metricsBytes) {
        return new TrainingState(steps, epoch, best ? epoch : bestEpoch, best ? valLoss : bestValLoss, metricsBytes, 0, 0);
    }
}
