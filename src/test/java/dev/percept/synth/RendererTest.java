package dev.percept.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image, the masks and the depth come from the same rays and agree. */
class RendererTest {
    private static final int SIZE = 64;
    private static final Camera CAMERA = new Camera(7, 0, 0.5, 0, 0, Size.SMALL.focal()); // at +z, looking towards -z
    private static final Light LIGHT = new Light(0.8, 0.9, 0.7, 0.35, new double[] {1, 1, 1});
    private static final Background BACKGROUND = new Background(new double[] {0.4, 0.55, 0.3}, new double[] {0.6, 0.75, 0.95});

    private static Scene scene(SceneObject... objects) {
        return new Scene(List.of(objects), CAMERA, LIGHT, BACKGROUND);
    }

    @Test
    void maskIsBackgroundExactlyWhereTheEmptySceneShowsThrough() {
        Scene full = scene(new SceneObject(Category.CUBE, Colour.RED, 0.4, -1, 0, 0.3),
                new SceneObject(Category.TORUS, Colour.BLUE, 0.5, 0.8, 0.5, 1.0),
                new SceneObject(Category.CONE, Colour.YELLOW, 0.45, 0.2, -1.2, 0));
        Rendering r = Renderer.render(full, SIZE);
        Rendering empty = Renderer.render(full.withObjects(List.of()), SIZE);
        int objectPixels = 0;
        int changed = 0;
        for (int p = 0; p < SIZE * SIZE; p++) {
            assertEquals(r.category()[p] == 0, r.instance()[p] == 0, "pixel " + p);
            if (r.category()[p] == 0) {
                assertEquals(empty.depth()[p], r.depth()[p], "background depth at pixel " + p);
                for (int shift = 0; shift <= 16; shift += 8) { // shadows only darken the background
                    assertTrue(((r.rgb()[p] >> shift) & 0xff) <= ((empty.rgb()[p] >> shift) & 0xff), "pixel " + p);
                }
            } else {
                objectPixels++;
                assertTrue(r.depth()[p] < empty.depth()[p], "an object is nearer than the ground behind it, pixel " + p);
                if (r.rgb()[p] != empty.rgb()[p]) {
                    changed++;
                }
            }
        }
        assertTrue(objectPixels > 100, "objects cover " + objectPixels + " pixels");
        assertTrue(changed > 0.98 * objectPixels, changed + " of " + objectPixels + " object pixels differ from the ground");
    }

    @Test
    void theNearerObjectHasSmallerDepthAndHidesTheFartherOne() {
        SceneObject near = new SceneObject(Category.CUBE, Colour.RED, 0.4, 0, 1.5, 0);
        SceneObject far = new SceneObject(Category.SPHERE, Colour.BLUE, 0.4, 0, -1.5, 0);
        Camera low = new Camera(7, 0, 0.15, 0, 0, Size.SMALL.focal()); // low enough for the cube to hide the sphere
        Rendering both = Renderer.render(scene(near, far).withCamera(low), SIZE);
        Rendering alone = Renderer.render(scene(far).withCamera(low), SIZE);
        double[] sum = new double[3];
        int[] count = new int[3];
        for (int p = 0; p < SIZE * SIZE; p++) {
            sum[both.instance()[p]] += both.depth()[p];
            count[both.instance()[p]]++;
        }
        assertTrue(count[1] > 0 && count[2] > 0, "both objects show");
        assertTrue(sum[1] / count[1] + 2 < sum[2] / count[2], "3 m nearer: mean depths " + sum[1] / count[1] + " and " + sum[2] / count[2]);
        assertTrue(both.visiblePixels(2)[1] < alone.visiblePixels(1)[0], "the cube hides part of the sphere");
        double[] face = low.project(new double[] {0, 0.4, 1.9}, SIZE); // centre of the cube's front face
        int p = (int) face[1] * SIZE + (int) face[0];
        assertEquals(1, both.instance()[p], "the cube's front face is at the projected point");
        assertEquals(face[2], both.depth()[p], 0.1, "depth of the front face");
    }

    @Test
    void everyCategoryShowsWithItsIdInTheMask() {
        for (Category c : Category.values()) {
            Rendering r = Renderer.render(scene(new SceneObject(c, Colour.GREEN, 0.5, 0, 0, 0.4)), SIZE);
            int shown = 0;
            for (int p = 0; p < SIZE * SIZE; p++) {
                assertTrue(r.category()[p] == 0 || r.category()[p] == c.id(), c + " at pixel " + p);
                shown += r.category()[p] == c.id() ? 1 : 0;
            }
            assertTrue(shown > 40, c + " shows " + shown + " pixels");
        }
    }

    @Test
    void theSameSceneRendersTheSamePixels() {
        Scene s = scene(new SceneObject(Category.TORUS, Colour.CYAN, 0.5, 0.3, 0.1, 2.0));
        Rendering a = Renderer.render(s, SIZE);
        Rendering b = Renderer.render(s, SIZE);
        assertTrue(Arrays.equals(a.rgb(), b.rgb()) && Arrays.equals(a.depth(), b.depth()));
    }
}
