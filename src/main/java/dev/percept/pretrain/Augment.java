package dev.percept.pretrain;

import dev.percept.image.ResampleFilter;
import dev.percept.image.Resize;
import dev.percept.image.RgbImage;
import java.util.SplittableRandom;

/**
 * The views pretraining learns to treat as one: a random crop of 60-100% of the side at a random
 * place, resized back; a horizontal flip; brightness and contrast jitter. Applied to 8-bit images
 * before normalisation, as torchvision's transforms are.
 */
final class Augment {
    private Augment() {}

    static RgbImage view(RgbImage image, SplittableRandom random) {
        int w = image.width();
        int h = image.height();
        double scale = 0.6 + 0.4 * random.nextDouble();
        int cw = Math.max(1, (int) Math.round(w * scale));
        int ch = Math.max(1, (int) Math.round(h * scale));
        int x0 = random.nextInt(w - cw + 1);
        int y0 = random.nextInt(h - ch + 1);
        boolean flip = random.nextBoolean();
        double brightness = 0.8 + 0.4 * random.nextDouble();
        double contrast = 0.8 + 0.4 * random.nextDouble();
        byte[] crop = new byte[cw * ch * 3];
        double mean = 0;
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int sx = flip ? x0 + cw - 1 - x : x0 + x;
                for (int c = 0; c < 3; c++) {
                    int v = image.get(sx, y0 + y, c);
                    crop[(y * cw + x) * 3 + c] = (byte) v;
                    mean += v;
                }
            }
        }
        mean /= crop.length;
        for (int i = 0; i < crop.length; i++) {
            double v = ((crop[i] & 0xff) - mean) * contrast + mean;
            crop[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v * brightness)));
        }
        return Resize.resize(new RgbImage(cw, ch, crop), w, h, ResampleFilter.BICUBIC);
    }
}
