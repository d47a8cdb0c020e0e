package dev.percept.align;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.data.Triplet;
import dev.percept.embed.Embedder;
import dev.percept.image.Preprocessing;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.model.MlpHead;
import dev.percept.tensor.Adam;
import dev.percept.tensor.HingeStep;
import dev.percept.tensor.Tensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * DreamSim's MLP-head variant: the backbone stays frozen and a residual MLP on its feature is
 * trained. The backbone's features do not change during training, so each distinct image is
 * embedded once up front and every step reads those rows.
 */
final class MlpHeadTraining implements TrainableModel {
    private static final int EMBED_BATCH = 32;

    private final Member member;
    private final MlpHead head;
    private final Adam adam;
    private final Map<Path, float[]> features;

    MlpHeadTraining(List<Member> members, int hidden, double beta1, double beta2, double weightDecay, long seed,
            List<Triplet> triplets) {
        if (members.size() != 1) {
            throw new PerceptException("the MLP head is trained on one model's feature, not on an ensemble of "
                    + members.size());
        }
        this.member = members.get(0);
        try (Embedder embedder = new Embedder(members, FeatureNorm.NONE, EMBED_BATCH)) {
            features = TripletFeatures.embed(embedder, triplets,
                    Progress.onStderr("embed (frozen backbone)", "img", Triplet.distinctImages(triplets).size()));
        }
        Tensors.seed(seed);
        int dim = member.backbone().config().featureDim(member.features());
        this.head = MlpHead.initial(member.backbone().placement(), member.features(), dim, hidden);
        member.backbone().attachHead(head, member.features()); // validation embeds through it
        this.adam = new Adam(head.parameters(), beta1, beta2, weightDecay);
    }

    @Override
    public boolean needsPixels() {
        return false;
    }

    @Override
    public double accumulate(List<Triplet> batch, Map<Preprocessing, float[]> pixels, double margin, double weight) {
        int n = batch.size();
        int dim = (int) head.inFeatures();
        float[] rows = new float[3 * n * dim];
        for (int i = 0; i < n; i++) {
            Triplet t = batch.get(i);
            System.arraycopy(features.get(t.ref()), 0, rows, i * dim, dim);
            System.arraycopy(features.get(t.left()), 0, rows, (n + i) * dim, dim);
            System.arraycopy(features.get(t.right()), 0, rows, (2 * n + i) * dim, dim);
        }
        return HingeStep.backward(head.forward(rows, 3L * n), HingeLoss.targets(batch), margin, weight);
    }

    @Override
    public void step(double lr) {
        adam.step(lr);
    }

    @Override
    public void setTraining(boolean training) {
        // no dropout in the head
    }

    @Override
    public void writeOutput(Path folder) {
        head.write(folder);
    }

    @Override
    public String outputName() {
        return "head";
    }

    @Override
    public void save(Path file, TrainingState state) {
        state.save(file, adam);
    }

    @Override
    public TrainingState load(Path file) {
        return TrainingState.load(file, adam);
    }

    @Override
    public void close() {
        adam.close(); // the backbone owns the head
    }
}
