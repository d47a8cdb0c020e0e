package dev.percept.image;

import java.util.Objects;

/**
 * How a decoded image becomes model input: resize (and possibly centre-crop) to
 * {@code height x width} with Pillow's {@code filter}, scale to [0, 1], normalise per channel, and
 * lay out as CHW floats.
 *
 * @param resizeShorter for {@link Mode#SHORTER_SIDE_THEN_CENTER_CROP}, the length the shorter
 *     side is resized to; 0 for {@link Mode#SQUASH}
 */
public record Preprocessing(int height, int width, Mode mode, int resizeShorter, ResampleFilter filter, Normalization normalization) {
    public enum Mode {
        /** Resize to exactly height x width, ignoring the aspect ratio (DreamSim's way). */
        SQUASH,
        /**
         * Resize the shorter side to {@code resizeShorter} keeping the aspect ratio, then cut the
         * centre height x width (torchvision's {@code Resize(int)} + {@code CenterCrop}).
         */
        SHORTER_SIDE_THEN_CENTER_CROP
    }

    public Preprocessing {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(normalization, "normalization");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        if (mode == Mode.SQUASH && resizeShorter != 0) {
            throw new IllegalArgumentException("SQUASH resizes to the input size; resizeShorter must be 0, got " + resizeShorter);
        }
        if (mode == Mode.SHORTER_SIDE_THEN_CENTER_CROP && resizeShorter < Math.max(height, width)) {
            throw new IllegalArgumentException("a " + height + "x" + width + " centre crop needs the shorter side resized to at least "
                    + Math.max(height, width) + ", got " + resizeShorter);
        }
    }

    public static Preprocessing squash(int height, int width, ResampleFilter filter, Normalization normalization) {
        return new Preprocessing(height, width, Mode.SQUASH, 0, filter, normalization);
    }

    public static Preprocessing shorterSideThenCenterCrop(
            int resizeShorter, int height, int width, ResampleFilter filter, Normalization normalization) {
        return new Preprocessing(height, width, Mode.SHORTER_SIDE_THEN_CENTER_CROP, resizeShorter, filter, normalization);
    }

    /** DreamSim's preprocessing: 224x224 bicubic, no crop. */
    public static Preprocessing dreamsim(Normalization normalization) {
        return squash(224, 224, ResampleFilter.BICUBIC, normalization);
    }

    /** The image resized (and cropped) to exactly width x height, still 8-bit. */
    public RgbImage fit(RgbImage image) {
        if (mode == Mode.SQUASH) {
            return Resize.resize(image, width, height, filter);
        }
        int[] size = shorterSideSize(image.width(), image.height(), resizeShorter);
        RgbImage resized = Resize.resize(image, size[0], size[1], filter);
        // torchvision rounds the offsets with Python's round(): halves go to the even neighbour.
        int top = (int) Math.rint((resized.height() - height) / 2.0);
        int left = (int) Math.rint((resized.width() - width) / 2.0);
        return crop(resized, left, top, width, height);
    }

    /** The model input, {@code 3 * height * width} floats in CHW order. */
    public float[] toChw(RgbImage image) {
        float[] out = new float[3 * height * width];
        toChw(image, out, 0);
        return out;
    }

    /** Writes the model input into {@code out} from {@code offset} on, e.g. one slot of a batch. */
    public void toChw(RgbImage image, float[] out, int offset) {
        RgbImage fitted = fit(image);
        float[][] table = normalization.table();
        byte[] pixels = fitted.pixels();
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            out[offset + i] = table[0][pixels[3 * i] & 0xff];
            out[offset + plane + i] = table[1][pixels[3 * i + 1] & 0xff];
            out[offset + 2 * plane + i] = table[2][pixels[3 * i + 2] & 0xff];
        }
    }

    /**
     * The {width, height} after resizing the shorter side to {@code shorter}: the longer side
     * becomes {@code int(shorter * long / short)}, truncated, as torchvision and Hugging Face compute it.
     */
    static int[] shorterSideSize(int w, int h, int shorter) {
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        int newLong = (int) ((double) ((long) shorter * longSide) / shortSide);
        return w <= h ? new int[] {shorter, newLong} : new int[] {newLong, shorter};
    }

    private static RgbImage crop(RgbImage image, int left, int top, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(image.pixels(), ((top + y) * image.width() + left) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }
}
