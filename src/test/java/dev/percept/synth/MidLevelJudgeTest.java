package dev.percept.synth;

import dev.percept.Seeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The NIGHTS-like judges follow the documented attribute distance, so their votes are learnable. */
class MidLevelJudgeTest {
    @Test
    void majorityVotesFollowTheAttributeDistanceFarMoreOftenThanChance() {
        SceneSampler sampler = new SceneSampler(Size.TINY);
        int agree = 0;
        int decided = 0;
        int split = 0;
        for (int i = 0; i < 300; i++) {
            NightsTriplet t = NightsTriplet.draw(Seeds.of(7, "judge-test", i), sampler);
            assertTrue(t.judges() >= 6 && t.judges() <= 9);
            if (t.leftDistance() == t.rightDistance() || 2 * t.leftVotes() == t.judges()) {
                continue;
            }
            decided++;
            boolean leftCloser = t.leftDistance() < t.rightDistance();
            boolean leftWins = 2 * t.leftVotes() > t.judges();
            agree += leftCloser == leftWins ? 1 : 0;
            split += t.leftVotes() > 0 && t.leftVotes() < t.judges() ? 1 : 0;
        }
        assertTrue(decided > 250, decided + " decided triplets");
        assertTrue(agree > 0.8 * decided, agree + " of " + decided + " majorities agree with the distance");
        assertTrue(split > 0.1 * decided, "judges disagree sometimes: " + split + " split votes");
    }

    @Test
    void everyObjectTheJudgesCompareShowsInTheImages() {
        SceneSampler sampler = new SceneSampler(Size.TINY);
        for (int i = 0; i < 60; i++) {
            NightsTriplet t = NightsTriplet.draw(Seeds.of(9, "visible-test", i), sampler);
            for (Rendered shot : List.of(t.ref(), t.left(), t.right())) {
                int[] shown = shot.rendering().visiblePixels(shot.scene().objects().size());
                for (int pixels : shown) {
                    assertTrue(pixels >= sampler.minVisible(), "triplet " + i + ": an object shows " + pixels + " pixels");
                }
            }
        }
    }

    @Test
    void distanceWeighsCountLayoutColourVisiblePoseShapeAndLight() {
        SceneObject cube = new SceneObject(Category.CUBE, Colour.RED, 0.4, 0, 0, 0);
        SceneObject ball = new SceneObject(Category.SPHERE, Colour.BLUE, 0.4, 2, 0, 0);
        Light light = new Light(0.5, 0.8, 0.7, 0.4, new double[] {1, 1, 1});
        Scene ref = new Scene(List.of(cube, ball), new Camera(7, 0, 0.6, 0, 0, 88), light,
                new Background(new double[] {0.5, 0.5, 0.5}, new double[] {0.6, 0.7, 0.9}));
        Scene moved = ref.withObjects(List.of(cube.withPosition(1, 0).withColour(Colour.GREEN), ball.withYaw(1.0),
                new SceneObject(Category.CONE, Colour.GRAY, 0.3, -2, 0, 0)));
        MidLevelJudge.Change c = MidLevelJudge.change(ref, moved, new int[] {0, 1, -1});
        assertEquals(new MidLevelJudge.Change(1, 0.5, Colour.RED.distance(Colour.GREEN) / 2, 0, 0, 0), c);
        assertEquals(MidLevelJudge.W_COUNT + MidLevelJudge.W_LAYOUT * 0.5 + MidLevelJudge.W_COLOUR * c.colour(),
                MidLevelJudge.distance(c), 1e-12);
        Scene reshaped = ref.withObjects(List.of(new SceneObject(Category.TORUS, Colour.RED, 0.4, 0, 0, 0), ball))
                .withLight(new Light(0.5 + Math.PI / 2, 0.8, 0.7, 0.4, new double[] {1, 1, 1}));
        assertEquals(new MidLevelJudge.Change(0, 0, 0, 0, 0.5, 0.5), MidLevelJudge.change(ref, reshaped, new int[] {0, 1}));
        assertEquals(0, MidLevelJudge.distance(MidLevelJudge.change(ref, ref, new int[] {0, 1})));
    }

    @Test
    void strongAgreementKeepsAboutHalfTheDrawsAndOnlyThoseWithAtMostOneDissent() {
        SceneSampler sampler = new SceneSampler(Size.TINY);
        int agreed = 0;
        for (int i = 0; i < 200; i++) {
            NightsTriplet t = NightsTriplet.draw(Seeds.of(11, "agree-test", i), sampler);
            int dissent = Math.min(t.leftVotes(), t.judges() - t.leftVotes());
            assertEquals(dissent <= 1, t.agreed(), "triplet " + i);
            agreed += t.agreed() ? 1 : 0;
        }
        assertTrue(agreed > 80 && agreed < 180, agreed + " of 200 draws agreed");
    }

    @Test
    void poseChangeCountsOnlyWhatTheShapesSymmetryShows() {
        assertEquals(0, MidLevelJudge.poseChange(Category.CUBE, 0.2, 0.2 + Math.PI / 2), 1e-12);
        assertEquals(1, MidLevelJudge.poseChange(Category.PYRAMID, 0, Math.PI / 4), 1e-12);
        assertEquals(1, MidLevelJudge.poseChange(Category.TORUS, 0, Math.PI / 2), 1e-12);
        assertEquals(0, MidLevelJudge.poseChange(Category.SPHERE, 0, 1.3));
        assertEquals(0, MidLevelJudge.poseChange(Category.CONE, 0, 1.3));
    }
}
