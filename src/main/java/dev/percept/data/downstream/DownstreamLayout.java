package dev.percept.data.downstream;

import dev.percept.PerceptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The public dataset layouts, recognised from the folder, with their split names. {@code val} is
 * the split used to choose hyper-parameters, or null where the dataset has none apart from its
 * test split (the probe then holds out part of train).
 */
public enum DownstreamLayout {
    CLEVR(Kind.COUNTING, "train", null, "val"),
    FSC147(Kind.COUNTING, "train", "val", "test"),
    CARPK(Kind.COUNTING, "train", null, "test"),
    VOC(Kind.SEGMENTATION, "train", null, "val"),
    ADE20K(Kind.SEGMENTATION, "training", null, "validation"),
    CITYSCAPES(Kind.SEGMENTATION, "train", null, "val"),
    COCOSTUFF(Kind.SEGMENTATION, "train2017", null, "val2017"),
    DAVIS(Kind.SEGMENTATION, "train", null, "val"),
    NYU(Kind.DEPTH, "train", null, "test"),
    SUNRGBD(Kind.DEPTH, "train", null, "val"),
    /** A test set only: the probe trains on another dataset ({@code --train-data}). */
    LIGHTFIELD(Kind.DEPTH, null, null, "training+additional"),
    DEEPFASHION2(Kind.RETRIEVAL, null, null, "validation"),
    FOLDERS(Kind.CLASSIFICATION, "train", "val", "test"),
    PETS(Kind.CLASSIFICATION, "trainval", null, "test");

    /** What a layout's targets are. */
    public enum Kind { COUNTING, SEGMENTATION, DEPTH, RETRIEVAL, CLASSIFICATION }

    private final Kind kind;
    private final String train;
    private final String val;
    private final String test;

    DownstreamLayout(Kind kind, String train, String val, String test) {
        this.kind = kind;
        this.train = train;
        this.val = val;
        this.test = test;
    }

    public Kind kind() {
        return kind;
    }

    public String trainSplit() {
        return train;
    }

    /** The validation split of this folder, or null (class folders without {@code val/}). */
    public String valSplit(Path root) {
        if (this == FOLDERS) {
            return Files.isDirectory(root.resolve("test")) && Files.isDirectory(root.resolve("val")) ? "val" : null;
        }
        return val;
    }

    /** The test split of this folder (class folders: {@code test/}, else {@code val/}). */
    public String testSplit(Path root) {
        if (this == FOLDERS && !Files.isDirectory(root.resolve("test"))) {
            return "val";
        }
        return test;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DownstreamLayout parse(String s) {
        for (DownstreamLayout l : values()) {
            if (l.cliName().equals(s.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new PerceptException("--layout must be one of " + names() + ", not " + s);
    }

    /** The layout of a dataset folder, recognised from the files its public release has. */
    public static DownstreamLayout detect(Path root) {
        if (!Files.isDirectory(root)) {
            throw new PerceptException("dataset folder " + root + " does not exist");
        }
        if (Files.isDirectory(root.resolve("scenes")) && Files.isDirectory(root.resolve("images"))) {
            return CLEVR;
        }
        if (Files.isRegularFile(root.resolve("Train_Test_Val_FSC_147.json"))) {
            return FSC147;
        }
        // before CARPK, which has Annotations/ and ImageSets/ too
        if (Files.isDirectory(root.resolve("ImageSets/2017")) || Files.isDirectory(root.resolve("DAVIS/ImageSets/2017"))) {
            return DAVIS;
        }
        if (Files.isDirectory(root.resolve("SegmentationClass")) || Files.isDirectory(root.resolve("VOCdevkit/VOC2012"))) {
            return VOC;
        }
        // after DAVIS and VOC, which have Annotations/ and ImageSets/ too
        if (Files.isDirectory(root.resolve("Annotations")) && Files.isDirectory(root.resolve("ImageSets"))
                || Files.isDirectory(root.resolve("data/Annotations"))) {
            return CARPK;
        }
        if (Files.isDirectory(root.resolve("ADEChallengeData2016"))
                || root.getFileName() != null && root.getFileName().toString().equals("ADEChallengeData2016")
                || Files.isDirectory(root.resolve("images/training")) && Files.isDirectory(root.resolve("annotations/training"))) {
            return ADE20K;
        }
        if (cocoStuff(root) || cocoStuff(root.resolve("dataset"))) {
            return COCOSTUFF;
        }
        if (Files.isDirectory(root.resolve("leftImg8bit")) && Files.isDirectory(root.resolve("gtFine"))) {
            return CITYSCAPES;
        }
        if (Files.isRegularFile(root.resolve("nyu_test.txt")) || Files.isRegularFile(root.resolve("nyu_train.txt"))) {
            return NYU;
        }
        if (Files.isRegularFile(root.resolve("SUNRGBD_val_splits.txt")) || Files.isRegularFile(root.resolve("SUNRGBD_train_splits.txt"))) {
            return SUNRGBD;
        }
        if (lightFieldScenes(root.resolve("training")) || lightFieldScenes(root.resolve("additional"))) {
            return LIGHTFIELD;
        }
        if (Files.isDirectory(root.resolve("validation/annos")) || Files.isDirectory(root.resolve("train/annos"))) {
            return DEEPFASHION2;
        }
        if (Files.isRegularFile(root.resolve("annotations/trainval.txt")) && Files.isDirectory(root.resolve("images"))) {
            return PETS;
        }
        if (Files.isDirectory(root.resolve("train")) && (Files.isDirectory(root.resolve("test")) || Files.isDirectory(root.resolve("val")))) {
            return FOLDERS;
        }
        throw new PerceptException(root + " is not a dataset layout percept knows; pass --layout, one of " + names());
    }

    private static boolean cocoStuff(Path base) {
        return (Files.isDirectory(base.resolve("images/train2017")) || Files.isDirectory(base.resolve("images/val2017")))
                && (Files.isDirectory(base.resolve("annotations/train2017")) || Files.isDirectory(base.resolve("annotations/val2017")));
    }

    /** Whether a category folder of the 4D Light Field benchmark holds a scene with its centre view. */
    private static boolean lightFieldScenes(Path category) {
        return Files.isDirectory(category)
                && DatasetFiles.list(category).stream().anyMatch(scene -> Files.isRegularFile(scene.resolve(LightField.CENTRE_VIEW)));
    }

    private static String names() {
        return Arrays.stream(values()).map(DownstreamLayout::cliName).collect(Collectors.joining(", "));
    }
}
