package dev.percept.align;

import dev.percept.data.Triplet;
import dev.percept.embed.Member;
import dev.percept.image.Preprocessing;
import dev.percept.tensor.Adam;
import dev.percept.tensor.HingeStep;
import dev.percept.tensor.Ops;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The model side of alignment: LoRA branches on every member, the Adam state over all of them,
 * and one forward and backward of the hinge loss at a time. Frozen weights stay in the members'
 * working precision (bf16 where the CPU has it); LoRA weights, their gradients and the moments
 * are float32.
 */
public final class LoraTraining implements TrainableModel {
    private final List<Member> members;
    private final List<LoraWeights> loras = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private final Adam adam;

    /** Attaches fresh LoRA branches (drawn after seeding libtorch with {@code seed}). */
    public LoraTraining(List<Member> members, LoraSpec spec, double beta1, double beta2, double weightDecay, long seed) {
        this.members = List.copyOf(members);
        Tensors.seed(seed);
        for (int i = 0; i < members.size(); i++) {
            LoraWeights lora = LoraWeights.attach(members.get(i).backbone().transformer(), spec);
            loras.add(lora);
            String prefix = members.size() == 1 ? "" : "member" + i + ".";
            lora.names().forEach(n -> names.add(prefix + n));
            params.addAll(lora.parameters());
        }
        this.adam = new Adam(params, beta1, beta2, weightDecay);
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
        return HingeStep.backward(() -> features(input, 3 * targets.length), targets, margin, weight);
    }

    /** One Adam update from the accumulated gradients, which are then cleared. */
    @Override
    public void step(double lr) {
        adam.step(lr);
    }

    /** The members' features of {@code count} images, concatenated: [count, dim] float32. */
    private Tensor features(Map<Preprocessing, float[]> input, int count) {
        Tensor[] parts = new Tensor[members.size()];
        for (int i = 0; i < parts.length; i++) {
            Member m = members.get(i);
            Preprocessing p = m.preprocessing();
            Tensor x = Tensors.floats(input.get(p), count, 3, p.height(), p.width());
            parts[i] = m.backbone().features(x, m.features()).reshape(count, -1);
        }
        return parts.length == 1 ? parts[0] : Ops.cat(1, parts);
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
        state.save(file, names, params, adam);
    }

    @Override
    public TrainingState load(Path file) {
        return TrainingState.load(file, names, params, adam);
    }

    /** Trainable values over all members. */
    public long parameterCount() {
        return params.stream().mapToLong(Tensor::numel).sum();
    }

    @Override
    public void close() {
        adam.close();
        loras.forEach(LoraWeights::close);
    }
}
