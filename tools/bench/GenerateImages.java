import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;
import javax.imageio.ImageIO;

/** java tools/bench/GenerateImages.java DIR N SIDE: N seeded JPEGs of coloured 16-pixel blocks, SIDE pixels square. */
public class GenerateImages {
    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        int n = Integer.parseInt(args[1]);
        int side = Integer.parseInt(args[2]);
        dir.mkdirs();
        for (int i = 0; i < n; i++) {
            Random r = new Random(i);
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            for (int by = 0; by < side; by += 16) {
                for (int bx = 0; bx < side; bx += 16) {
                    int rgb = r.nextInt(1 << 24);
                    for (int y = by; y < Math.min(side, by + 16); y++) {
                        for (int x = bx; x < Math.min(side, bx + 16); x++) {
                            image.setRGB(x, y, rgb);
                        }
                    }
                }
            }
            ImageIO.write(image, "jpg", new File(dir, String.format("img%05d.jpg", i)));
        }
    }
}
