package dev.percept.align;

import dev.percept.data.Triplet;
import dev.percept.image.Preprocessing;
import dev.percept.model.Ensemble;
import dev.percept.model.Member;
import dev.percept.tensor.Adam;
import dev.percept.tensor.HingeStep;
import dev.percept.tensor.Parameters;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model side of alignment: LoRA branches on every member, the Adam state over all of them,
 * and one forward and backward of the hinge loss at a time. Frozen weights stay in the members'
 * working precision (bf16 where the CPU has it); LoRA weights, their gradients and the moments
 * are float32.
 */
public final class LoraTraining implements TrainableModel {
    private final List<Member> members;
    private final Ensemble ensemble;
    private final List<LoraWeights> loras = new ArrayList<>();
    private final Adam adam;
    private final boolean checkpointActivations;

    /**
     * Attaches fresh LoRA branches (drawn after seeding libtorch with {@code seed}). With {@code
     * checkpointActivations} each step keeps only the blocks' inputs and recomputes the blocks in
     * backward: less memory, one more forward of compute, the same gradients.
     */
    public LoraTraining(List<Member> members, LoraSpec spec, double beta1, double beta2, double weightDecay, long seed,
            boolean checkpointActivations) {
        this.members = List.copyOf(members);
        this.checkpointActivations = checkpointActivations;
        this.ensemble = new Ensemble(members);
        Tensors.seed(seed);
        List<Parameters> params = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            LoraWeights lora = LoraWeights.attach(members.get(i).backbone().transformer(), spec);
            loras.add(lora);
            params.add(members.size() == 1 ? lora.parameters() : lora.parameters().withPrefix("member" + i + "."));
        }
        this.adam = new Adam(Parameters.concat(params), beta1, beta2, weightDecay);
    }

    @Override
    public boolean needsPixels() {
        return true;
    }

    @Override
    public double accumulate(List<Triplet> batch, Map<Preprocessing, float[]> pixels, double margin, double weight) {
        return accumulate(pixels, HingeLoss.targets(batch), margin, weight);
    }

    @Override
    public String outputName() {
        return "adapter";
    }

    @Override
    public void writeOutput(Path folder) {
        writeAdapters(folder);
    }

    /** LoRA dropout on (training) or off (validation, embedding). */
    @Override
    public void setTraining(boolean training) {
        members.forEach(m -> m.backbone().transformer().setTraining(training));
    }

    /**
     * Forward and backward for one batch of triplets; gradients accumulate, scaled by {@code
     * weight} (the batch's share of the optimizer step). Returns the batch's mean loss; when it is
     * not finite nothing is back-propagated.
     *
     * @param input per preprocessing, {@code 3n} images: the references, then left, then right
     * @param targets y per triplet (+1: the right image is closer)
     */
    public double accumulate(Map<Preprocessing, float[]> input, float[] targets, double margin, double weight) {
        return HingeStep.backward(ensemble.forward(input, 3 * targets.length, checkpointActivations), targets, margin, weight);
    }

    /** One Adam update from the accumulated gradients, which are then cleared. */
    @Override
    public void step(double lr) {
        adam.step(lr);
    }

    /** Writes one PEFT adapter per member: into {@code folder} itself, or for an ensemble {@code folder/<i>-<name>}. */
    public void writeAdapters(Path folder) {
        for (int i = 0; i < members.size(); i++) {
            loras.get(i).writeAdapter(memberFolder(folder, i), members.get(i).backbone().name());
        }
    }

    private Path memberFolder(Path adapter, int member) {
        return members.size() == 1 ? adapter : adapter.resolve(member + "-" + members.get(member).backbone().name());
    }

    @Override
    public void save(Path file, TrainingState state) {
        state.save(file, adam);
    }

    @Override
    public TrainingState load(Path file) {
        return TrainingState.load(file, adam);
    }

    /** Trainable values over all members. */
    public long parameterCount() {
        return adam.parameters().count();
    }

    @Override
    public void close() {
        adam.close(); // the transformers own the LoRA branches
    }
}
