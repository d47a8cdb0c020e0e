package dev.percept.align;

import dev.percept.data.Triplet;
import dev.percept.image.Preprocessing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an alignment run trains: LoRA branches inside the backbone(s) ({@link LoraTraining}) or
 * an MLP head on a frozen backbone's feature ({@link MlpHeadTraining}). The run around it
 * (data order, steps, validation, checkpoints) is the same for both.
 */
interface TrainableModel extends AutoCloseable {
    /** Whether {@link #accumulate} reads pixels; if not, the run does not decode images per step. */
    boolean needsPixels();

    /**
     * Forward and backward of the hinge loss for one batch; gradients accumulate, scaled by {@code
     * weight} (the batch's share of the optimizer step). Returns the batch's mean loss; when it is
     * not finite nothing is back-propagated.
     *
     * @param pixels per preprocessing, {@code 3n} images: the references, then left, then right
     *     (empty when {@link #needsPixels()} is false)
     */
    double accumulate(List<Triplet> batch, Map<Preprocessing, float[]> pixels, double margin, double weight);

    /** One Adam update from the accumulated gradients, which are then cleared. */
    void step(double lr);

    /** Dropout on (training) or off (validation). */
    void setTraining(boolean training);

    /** What the run hands out, written into {@code folder}: adapters, or the head. */
    void writeOutput(Path folder);

    /** The name of the output folder in a run: {@code adapter} or {@code head}. */
    String outputName();

    void save(Path file, TrainingState state);

    TrainingState load(Path file);

    @Override
    void close();
}
