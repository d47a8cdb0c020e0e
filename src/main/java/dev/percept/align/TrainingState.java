package dev.percept.align;

import dev.percept.PerceptException;
import dev.percept.tensor.Adam;
import dev.percept.tensor.TrainingCheckpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** Saves this state with the parameters {@code adam} updates and its moments. */
    void save(Path file, Adam adam) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("steps", Long.toString(steps));
        meta.put("validated_epochs", Integer.toString(validatedEpochs));
        meta.put("best_epoch", Integer.toString(bestEpoch));
        meta.put("best_val_loss", Double.toString(bestValLoss));
        meta.put("metrics_bytes", Long.toString(metricsBytes));
        meta.put("epoch_loss_sum", Double.toString(epochLossSum));
        meta.put("epoch_triplets", Long.toString(epochTriplets));
        TrainingCheckpoint.save(file, adam, meta);
    }

    /** Restores the parameters {@code adam} updates and its moments in place from {@code file}; returns the counters. */
    static TrainingState load(Path file, Adam adam) {
        Map<String, String> meta = TrainingCheckpoint.load(file, adam);
        try {
            return new TrainingState(Long.parseLong(meta.get("steps")), Integer.parseInt(meta.get("validated_epochs")),
                    Integer.parseInt(meta.get("best_epoch")), Double.parseDouble(meta.get("best_val_loss")),
                    Long.parseLong(meta.get("metrics_bytes")), Double.parseDouble(meta.get("epoch_loss_sum")),
                    Long.parseLong(meta.get("epoch_triplets")));
        } catch (RuntimeException e) {
            throw new PerceptException(file + ": checkpoint metadata is incomplete (" + meta + ")", e);
        }
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
