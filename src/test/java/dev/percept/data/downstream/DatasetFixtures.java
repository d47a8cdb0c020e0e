package dev.percept.data.downstream;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Tiny datasets written in the public layouts, for the readers' tests and end-to-end runs. Images
 * are small real PNG/JPEG files whose content follows their targets (more objects, more bright
 * squares; a class paints its pixels in its colour), so a probe can learn something.
 */
public final class DatasetFixtures {
    private static final Color[] PALETTE = {Color.BLACK, Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

    private DatasetFixtures() {}

    /** An image of {@code objects} white squares on grey, at positions drawn with {@code seed}. */
    public static void countImage(Path file, int objects, long seed) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.WHITE);
        Random r = new Random(seed);
        for (int i = 0; i < objects; i++) {
            g.fillRect(r.nextInt(28), r.nextInt(28), 4, 4);
        }
        g.dispose();
        write(img, file);
    }

    /** A solid image in the colour of class {@code label}, with a little seeded noise. */
    public static void classImage(Path file, int label, long seed) {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        Color c = PALETTE[label % PALETTE.length];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int n = r.nextInt(20);
                img.setRGB(x, y, new Color(Math.min(255, c.getRed() + n), Math.min(255, c.getGreen() + n),
                        Math.min(255, c.getBlue() + n)).getRGB());
            }
        }
        write(img, file);
    }

    /** An image painted by a label map: class k in palette colour k, void pixels grey. */
    public static void paintedImage(Path file, int[][] labels) {
        int h = labels.length;
        int w = labels[0].length;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = labels[y][x];
                img.setRGB(x, y, (l == 255 ? Color.GRAY : PALETTE[l % PALETTE.length]).getRGB());
            }
        }
        write(img, file);
    }

    /** An 8-bit palette PNG whose pixel indices are {@code labels} (the palette's colours are not the ids). */
    public static void paletteLabels(Path file, int[][] labels) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 37);
            g[i] = (byte) (i * 91);
            b[i] = (byte) (255 - i);
        }
        BufferedImage img = new BufferedImage(labels[0].length, labels.length, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        fill(img.getRaster(), labels);
        write(img, file);
    }

    /** An 8-bit greyscale PNG of {@code labels} (ADE20K, Cityscapes trainIds). */
    public static void greyLabels(Path file, int[][] labels) {
        BufferedImage img = new BufferedImage(labels[0].length, labels.length, BufferedImage.TYPE_BYTE_GRAY);
        fill(img.getRaster(), labels);
        write(img, file);
    }

    /** A 16-bit greyscale PNG of depths in millimetres. */
    public static void depthMillimetres(Path file, int[][] mm) {
        BufferedImage img = new BufferedImage(mm[0].length, mm.length, BufferedImage.TYPE_USHORT_GRAY);
        fill(img.getRaster(), mm);
        write(img, file);
    }

    public static void text(Path file, String... lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A square map whose left half is {@code left} and right half {@code right}. */
    public static int[][] halves(int size, int left, int right) {
        int[][] m = new int[size][size];
        for (int[] row : m) {
            for (int x = 0; x < size; x++) {
                row[x] = x < size / 2 ? left : right;
            }
        }
        return m;
    }

    /** A CLEVR folder: per split, one image per count with scenes json listing that many objects. */
    public static void clevr(Path root, String split, List<Integer> counts) {
        StringBuilder scenes = new StringBuilder("{\"info\": {\"split\": \"" + split + "\"}, \"scenes\": [");
        for (int i = 0; i < counts.size(); i++) {
            String name = String.format("CLEVR_%s_%06d.png", split, i);
            countImage(root.resolve("images").resolve(split).resolve(name), counts.get(i), i * 31L + split.hashCode());
            StringBuilder objects = new StringBuilder();
            for (int k = 0; k < counts.get(i); k++) {
                objects.append(k == 0 ? "" : ", ").append("{\"shape\": \"cube\", \"3d_coords\": [0, 0, 0]}");
            }
            scenes.append(i == 0 ? "" : ", ").append("{\"image_index\": ").append(i).append(", \"image_filename\": \"")
                    .append(name).append("\", \"objects\": [").append(objects).append("]}");
        }
        text(root.resolve("scenes").resolve("CLEVR_" + split + "_scenes.json"), scenes.append("]}").toString());
    }

    /** A VOC 2012 folder: per split, images painted by two-class label maps (with a void border). */
    public static void voc(Path root, String split, int images, int classes, long seed) {
        Random r = new Random(seed);
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < images; i++) {
            String id = String.format("2007_%s_%03d", split, i);
            int[][] labels = halves(32, r.nextInt(classes), r.nextInt(classes));
            labels[0][0] = 255;
            paintedImage(root.resolve("JPEGImages").resolve(id + ".jpg"), labels);
            paletteLabels(root.resolve("SegmentationClass").resolve(id + ".png"), labels);
            ids.append(id).append('\n');
        }
        text(root.resolve("ImageSets/Segmentation").resolve(split + ".txt"), ids.toString().strip());
    }

    /** An NYUv2 folder (BTS lists): images brighter where nearer, depth maps in millimetres. */
    public static void nyu(Path root, String split, int images, long seed) {
        Random r = new Random(seed);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < images; i++) {
            int near = 500 + r.nextInt(2000);
            int far = near + 1000 + r.nextInt(4000);
            int[][] mm = halves(24, near, far);
            mm[0][0] = 0; // unmeasured
            String scene = split + "_scene_" + i;
            int[][] shade = halves(24, 1, 3);
            paintedImage(root.resolve(scene).resolve("rgb_00001.jpg"), shade);
            depthMillimetres(root.resolve(scene).resolve("sync_depth_00001.png"), mm);
            list.append(scene).append("/rgb_00001.jpg ").append(scene).append("/sync_depth_00001.png 518.8579\n");
        }
        text(root.resolve("nyu_" + split + ".txt"), list.toString().strip());
    }

    /** A DeepFashion2 split: per item one user and one shop image of the item's colour. */
    public static void deepFashion2(Path root, String split, int items) {
        for (int i = 0; i < items; i++) {
            for (String source : new String[] {"user", "shop"}) {
                String id = String.format("%06d", 2 * i + (source.equals("shop") ? 2 : 1));
                classImage(root.resolve(split).resolve("image").resolve(id + ".jpg"), i, id.hashCode());
                text(root.resolve(split).resolve("annos").resolve(id + ".json"), "{\"source\": \"" + source + "\", \"pair_id\": " + (i + 1)
                        + ", \"item1\": {\"style\": 1, \"category_id\": 1}}");
            }
        }
    }

    /** Class folders {@code <split>/class_<k>/<n>.png} with {@code perClass} images of each of {@code classes} colours. */
    public static void folders(Path root, String split, int classes, int perClass) {
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                classImage(root.resolve(split).resolve("class_" + c).resolve(i + ".png"), c, split.hashCode() + 97L * c + i);
            }
        }
    }

    /** A COCO-Stuff split: images painted by raw stuffthingmaps (values 0, 12, 181: trainIds 0, 11, 170; 255 unlabeled). */
    public static void cocoStuff(Path root, String split, int images, long seed) {
        int[] values = {0, 12, 181};
        Random r = new Random(seed);
        for (int i = 0; i < images; i++) {
            String name = String.format("%012d", 1000 * seed + i);
            int[][] labels = halves(32, values[r.nextInt(values.length)], values[r.nextInt(values.length)]);
            labels[0][0] = 255;
            paintedImage(root.resolve("images").resolve(split).resolve(name + ".jpg"), labels);
            greyLabels(root.resolve("annotations").resolve(split).resolve(name + ".png"), labels);
        }
    }

    /** A DAVIS 2017 split: per sequence a few frames whose objects (ids 1, 2) are painted on black. */
    public static void davis(Path root, String split, int sequences, int frames, long seed) {
        Random r = new Random(seed);
        StringBuilder list = new StringBuilder();
        for (int s = 0; s < sequences; s++) {
            String sequence = split + "-sequence-" + s;
            for (int f = 0; f < frames; f++) {
                int[][] ids = new int[32][32];
                int x = r.nextInt(16);
                int y = r.nextInt(16);
                for (int k = 0; k < 2; k++) {
                    for (int dy = 0; dy < 8; dy++) {
                        for (int dx = 0; dx < 8; dx++) {
                            ids[y + 8 * k + dy][x + dx] = k + 1;
                        }
                    }
                }
                String frame = String.format("%05d", f);
                paintedImage(root.resolve("JPEGImages/480p").resolve(sequence).resolve(frame + ".jpg"), ids);
                paletteLabels(root.resolve("Annotations/480p").resolve(sequence).resolve(frame + ".png"), ids);
            }
            list.append(sequence).append('\n');
        }
        text(root.resolve("ImageSets/2017").resolve(split + ".txt"), list.toString().strip());
    }

    /** A SUN RGB-D split in the toolboxes' layout: depth_bfx PNGs in millimetres with the toolbox's bit rotation. */
    public static void sunRgbd(Path root, String split, int images, long seed) {
        Random r = new Random(seed);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < images; i++) {
            String name = String.format("NYU%04d", (int) (100 * seed) + i);
            Path scene = Path.of("SUNRGBD/kv1/NYUdata", name);
            int near = 500 + r.nextInt(2000);
            int[][] mm = halves(24, near, near + 1000 + r.nextInt(4000));
            mm[0][0] = 0;
            for (int[] row : mm) {
                for (int x = 0; x < row.length; x++) {
                    row[x] = sunRgbdStored(row[x]);
                }
            }
            paintedImage(root.resolve(scene).resolve("image").resolve(name + ".jpg"), halves(24, 1, 3));
            depthMillimetres(root.resolve(scene).resolve("depth_bfx").resolve(name + ".png"), mm);
            list.append('/').append(scene).append("/image/").append(name).append(".jpg /").append(scene)
                    .append("/depth_bfx/").append(name).append(".png\n");
        }
        text(root.resolve("SUNRGBD_" + split + "_splits.txt"), list.toString().strip());
    }

    /** A depth in millimetres as the SUN RGB-D toolbox stores it: its 16 bits rotated left by 3. */
    public static int sunRgbdStored(int mm) {
        return ((mm << 3) | (mm >>> 13)) & 0xFFFF;
    }

    /** 4D Light Field scenes under one category folder: centre views brighter where nearer, depth in metres as PFM. */
    public static void lightField(Path root, String category, int scenes, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < scenes; i++) {
            Path scene = root.resolve(category).resolve(category + "_scene_" + i);
            float near = 0.5f + 2 * r.nextFloat();
            float far = near + 1 + 4 * r.nextFloat();
            float[][] depth = new float[24][24];
            for (float[] row : depth) {
                for (int x = 0; x < row.length; x++) {
                    row[x] = x < row.length / 2 ? near : far;
                }
            }
            paintedImage(scene.resolve("input_Cam040.png"), halves(24, 1, 3));
            pfm(scene.resolve("gt_depth_lowres.pfm"), depth, true, 1);
            text(scene.resolve("parameters.cfg"), "[meta]", "scene = " + category + "_scene_" + i);
        }
    }

    /** A greyscale PFM of {@code rows} (top row first, stored bottom to top), little- or big-endian, scale magnitude {@code scale}. */
    public static void pfm(Path file, float[][] rows, boolean littleEndian, float scale) {
        int h = rows.length;
        int w = rows[0].length;
        String header = "Pf\n" + w + " " + h + "\n" + (littleEndian ? -scale : scale) + "\n";
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(head.length + 4 * w * h)
                .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        out.put(head);
        for (int y = h - 1; y >= 0; y--) {
            for (int x = 0; x < w; x++) {
                out.putFloat(rows[y][x]);
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(WritableRaster raster, int[][] values) {
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                raster.setSample(x, y, 0, values[y][x]);
            }
        }
    }

    private static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            String name = file.getFileName().toString();
            String format = name.endsWith(".jpg") ? "jpg" : "png";
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IOException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
