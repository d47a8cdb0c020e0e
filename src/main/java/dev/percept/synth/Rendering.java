package dev.percept.synth;

/**
 * One rasterised view: every buffer is row-major, {@code size * size}, from the same rays, so
 * image, masks and depth agree pixel for pixel.
 *
 * @param rgb packed 0xRRGGBB
 * @param category semantic mask: 0 background (ground or sky), else {@link Category#id()}
 * @param instance 0 background, else the index of the object in the scene's list plus one
 * @param depth z-depth in metres along the camera's optical axis, background capped at {@link Renderer#FAR}
 */
public record Rendering(int size, int[] rgb, int[] category, int[] instance, float[] depth) {
    /** How many pixels show each object (index = object index). */
    public int[] visiblePixels(int objects) {
        int[] counts = new int[objects];
        for (int id : instance) {
            if (id > 0) {
                counts[id - 1]++;
            }
        }
        return counts;
    }

    /** The bounding box {x1, y1, x2, y2} (inclusive pixels) of all objects, or null if none is visible. */
    public int[] boundingBox() {
        int x1 = size;
        int y1 = size;
        int x2 = -1;
        int y2 = -1;
        for (int i = 0; i < instance.length; i++) {
            if (instance[i] > 0) {
                int x = i % size;
                int y = i / size;
                x1 = Math.min(x1, x);
                y1 = Math.min(y1, y);
                x2 = Math.max(x2, x);
                y2 = Math.max(y2, y);
            }
        }
        return x2 < 0 ? null : new int[] {x1, y1, x2, y2};
    }
}
