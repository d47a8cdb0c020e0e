package dev.percept.data.downstream;

import static dev.percept.data.downstream.DatasetFixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each downstream reader on a tiny folder laid out like the real dataset, and its errors. */
class DownstreamReadersTest {
    @TempDir
    Path root;

    private void touch(String... paths) throws IOException {
        for (String p : paths) {
            Files.createDirectories(root.resolve(p).getParent());
            Files.write(root.resolve(p), new byte[] {1});
        }
    }

    private static void assertNames(PerceptException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void clevrCountsTheObjectsOfEachScene() {
        DatasetFixtures.clevr(root, "val", List.of(3, 0, 5));
        List<CountedImage> items = ClevrCount.read(root, "val");
        assertEquals(List.of(3.0, 0.0, 5.0), items.stream().map(CountedImage::count).toList());
        assertEquals(root.resolve("images/val/CLEVR_val_000001.png"), items.get(1).image());
        assertEquals(DownstreamLayout.CLEVR, DownstreamLayout.detect(root));
    }

    @Test
    void clevrSceneWithoutObjectsListNamesTheFile() {
        text(root.resolve("scenes/CLEVR_val_scenes.json"), "{\"scenes\": [{\"image_filename\": \"a.png\"}]}");
        PerceptException e = assertThrows(PerceptException.class, () -> ClevrCount.read(root, "val"));
        assertNames(e, "CLEVR_val_scenes.json", "scenes[0]");
        text(root.resolve("scenes/CLEVR_train_scenes.json"), "{\"scenes\": [");
        assertNames(assertThrows(PerceptException.class, () -> ClevrCount.read(root, "train")), "CLEVR_train_scenes.json");
    }

    @Test
    void fsc147CountsPointsOfTheImagesInTheSplit() throws IOException {
        touch("images_384_VarV2/2.jpg", "images_384_VarV2/3.jpg", "images_384_VarV2/7.jpg");
        text(root.resolve("annotation_FSC147_384.json"), "{\"2.jpg\": {\"points\": [[1, 2], [3, 4]], \"box_examples_coordinates\": []},"
                + " \"3.jpg\": {\"points\": [[5, 5]]}, \"7.jpg\": {\"points\": []}}");
        text(root.resolve("Train_Test_Val_FSC_147.json"), "{\"train\": [\"2.jpg\", \"7.jpg\"], \"val\": [], \"test\": [\"3.jpg\"]}");
        List<CountedImage> train = Fsc147.read(root, "train");
        assertEquals(List.of(new CountedImage(root.resolve("images_384_VarV2/2.jpg"), 2),
                new CountedImage(root.resolve("images_384_VarV2/7.jpg"), 0)), train);
        assertEquals(1, Fsc147.read(root, "test").get(0).count());
        assertEquals(DownstreamLayout.FSC147, DownstreamLayout.detect(root));
        text(root.resolve("Train_Test_Val_FSC_147.json"), "{\"train\": [\"9.jpg\"]}");
        assertNames(assertThrows(PerceptException.class, () -> Fsc147.read(root, "train")), "annotation_FSC147_384.json", "9.jpg");
    }

    @Test
    void carpkCountsBoxLinesAndNamesAMalformedOne() throws IOException {
        touch("Images/20160331_NTU_00001.png", "Images/20160331_NTU_00002.png");
        text(root.resolve("Annotations/20160331_NTU_00001.txt"), "1 2 30 40 1", "5 6 70 80 1", "");
        text(root.resolve("Annotations/20160331_NTU_00002.txt"), "1 2 30 40 1");
        text(root.resolve("ImageSets/train.txt"), "20160331_NTU_00001", "20160331_NTU_00002");
        assertEquals(List.of(2.0, 1.0), Carpk.read(root, "train").stream().map(CountedImage::count).toList());
        assertEquals(DownstreamLayout.CARPK, DownstreamLayout.detect(root));
        text(root.resolve("Annotations/20160331_NTU_00002.txt"), "1 2 30 40 1", "1 2 x");
        assertNames(assertThrows(PerceptException.class, () -> Carpk.read(root, "train")), "20160331_NTU_00002.txt, line 2");
    }

    @Test
    void vocReadsPaletteIndicesNotColoursAndCountsClassesFromClassesTxt() throws IOException {
        DatasetFixtures.voc(root, "train", 2, 3, 1);
        SegmentationSet set = PascalVoc.read(root, "train");
        assertEquals(2, set.items().size());
        assertEquals(21, set.classes());
        int[][] labels = DatasetFixtures.halves(4, 7, 20);
        labels[1][1] = 255;
        DatasetFixtures.paletteLabels(set.items().get(0).target(), labels);
        LabelMaps.Map m = set.labels(set.items().get(0));
        assertEquals(4, m.width());
        assertArrayEquals(new int[] {7, 7, 20, 20, 7, 255, 20, 20}, java.util.Arrays.copyOf(m.values(), 8));
        text(root.resolve("classes.txt"), "background", "square", "circle");
        assertEquals(3, PascalVoc.read(root, "train").classes());
        assertEquals(DownstreamLayout.VOC, DownstreamLayout.detect(root));
        touch("Annotations/2007_000027.xml", "ImageSets/Main/train.txt"); // the detection half of VOC is not CARPK
        assertEquals(DownstreamLayout.VOC, DownstreamLayout.detect(root));
        PerceptException e = assertThrows(PerceptException.class, () -> PascalVoc.read(root, "train").labels(set.items().get(0)));
        assertNames(e, set.items().get(0).target().toString(), "value 7");
    }

    @Test
    void vocMissingLabelMapAndCorruptPngAreNamed() throws IOException {
        DatasetFixtures.voc(root, "val", 2, 3, 1);
        SegmentationSet set = PascalVoc.read(root, "val");
        Files.writeString(set.items().get(1).target(), "not a png");
        assertNames(assertThrows(PerceptException.class, () -> set.labels(set.items().get(1))), set.items().get(1).target().toString());
        Files.delete(set.items().get(0).target());
        assertNames(assertThrows(PerceptException.class, () -> PascalVoc.read(root, "val")), "val.txt", "2007_val_000.png");
    }

    @Test
    void ade20kShiftsClassesAndIgnoresOther() throws IOException {
        Path base = root.resolve("ADEChallengeData2016");
        touch("ADEChallengeData2016/images/validation/ADE_val_00000001.jpg");
        DatasetFixtures.greyLabels(base.resolve("annotations/validation/ADE_val_00000001.png"), new int[][] {{0, 1, 150}});
        SegmentationSet set = Ade20k.read(root, "validation");
        assertEquals(150, set.classes());
        assertArrayEquals(new int[] {255, 0, 149}, set.labels(set.items().get(0)).values());
        assertEquals(DownstreamLayout.ADE20K, DownstreamLayout.detect(root));
        touch("ADEChallengeData2016/images/validation/ADE_val_00000002.jpg");
        assertNames(assertThrows(PerceptException.class, () -> Ade20k.read(root, "validation")), "ADE_val_00000002.png");
    }

    @Test
    void cityscapesPairsLeftImagesWithTrainIdLabels() throws IOException {
        touch("leftImg8bit/val/frankfurt/frankfurt_000000_000294_leftImg8bit.png",
                "leftImg8bit/val/lindau/lindau_000001_000019_leftImg8bit.png");
        Path a = root.resolve("gtFine/val/frankfurt/frankfurt_000000_000294_gtFine_labelTrainIds.png");
        Path b = root.resolve("gtFine/val/lindau/lindau_000001_000019_gtFine_labelTrainIds.png");
        DatasetFixtures.greyLabels(a, new int[][] {{0, 18, 255}});
        DatasetFixtures.greyLabels(b, new int[][] {{19}});
        SegmentationSet set = Cityscapes.read(root, "val");
        assertEquals(List.of(a, b), set.items().stream().map(DenseImage::target).toList());
        assertArrayEquals(new int[] {0, 18, 255}, set.labels(set.items().get(0)).values());
        assertEquals(DownstreamLayout.CITYSCAPES, DownstreamLayout.detect(root));
        assertNames(assertThrows(PerceptException.class, () -> set.labels(set.items().get(1))), b.toString(), "value 19");
    }

    @Test
    void nyuReadsTheBtsListsAndSixteenBitMillimetres() throws IOException {
        touch("kitchen_0028b/rgb_00045.jpg", "official_splits/test/bathroom/rgb_00045.jpg");
        DatasetFixtures.depthMillimetres(root.resolve("kitchen_0028b/sync_depth_00045.png"), new int[][] {{0, 1500, 65535}});
        DatasetFixtures.depthMillimetres(root.resolve("official_splits/test/bathroom/sync_depth_00045.png"), new int[][] {{1}});
        text(root.resolve("nyu_train.txt"), "/kitchen_0028b/rgb_00045.jpg /kitchen_0028b/sync_depth_00045.png 518.8579");
        text(root.resolve("nyu_test.txt"), "official_splits/test/bathroom/rgb_00045.jpg official_splits/test/bathroom/sync_depth_00045.png 518.8579");
        List<DenseImage> train = NyuDepth.read(root, "train");
        assertEquals(root.resolve("kitchen_0028b/rgb_00045.jpg"), train.get(0).image());
        DepthMap depth = new DepthSet(train, DepthSet.Encoding.MILLIMETRES).metres(train.get(0));
        assertArrayEquals(new float[] {0, 1.5f, 65.535f}, depth.metres(), 1e-6f);
        assertEquals(3, depth.width());
        assertEquals(1, NyuDepth.read(root, "test").size());
        assertEquals(DownstreamLayout.NYU, DownstreamLayout.detect(root));
        text(root.resolve("nyu_test.txt"), "a.jpg b.png 518", "a.jpg b.png");
        assertNames(assertThrows(PerceptException.class, () -> NyuDepth.read(root, "test")), "nyu_test.txt, line 2");
    }

    @Test
    void cocoStuffDropsTheUnannotatedThingIdsToLeave171Classes() throws IOException {
        touch("dataset/images/val2017/000000000139.jpg", "dataset/images/val2017/000000000285.jpg");
        Path a = root.resolve("dataset/annotations/val2017/000000000139.png");
        DatasetFixtures.greyLabels(a, new int[][] {{0, 10, 12, 90 - 1, 91, 181, 255}});
        DatasetFixtures.greyLabels(root.resolve("dataset/annotations/val2017/000000000285.png"), new int[][] {{11}});
        SegmentationSet set = CocoStuff.read(root, "val2017");
        assertEquals(171, set.classes());
        // values 11, 25, 28, 29, 44, 65, 67, 68, 70, 82, 90 (ids 12, 26, ...) are never annotated
        assertArrayEquals(new int[] {0, 10, 11, 79, 80, 170, 255}, set.labels(set.items().get(0)).values());
        assertNames(assertThrows(PerceptException.class, () -> set.labels(set.items().get(1))), "000000000285.png", "value 11");
        assertEquals(DownstreamLayout.COCOSTUFF, DownstreamLayout.detect(root));
        assertEquals(DownstreamLayout.COCOSTUFF, DownstreamLayout.detect(root.resolve("dataset")));
        touch("dataset/images/val2017/000000000632.jpg");
        assertNames(assertThrows(PerceptException.class, () -> CocoStuff.read(root, "val2017")), "000000000632.png");
    }

    @Test
    void cocoStuffReadsMmsegConvertedTrainIdsWhereRawMapsAreAbsent() throws IOException {
        touch("images/train2017/000000000009.jpg");
        DatasetFixtures.greyLabels(root.resolve("annotations/train2017/000000000009_labelTrainIds.png"), new int[][] {{0, 11, 170, 255}});
        SegmentationSet set = CocoStuff.read(root, "train2017");
        assertArrayEquals(new int[] {0, 11, 170, 255}, set.labels(set.items().get(0)).values());
        assertEquals(DownstreamLayout.COCOSTUFF, DownstreamLayout.detect(root));
    }

    @Test
    void davisMakesEveryObjectForegroundAndIsNotMistakenForCarpk() throws IOException {
        touch("DAVIS/JPEGImages/480p/bear/00000.jpg", "DAVIS/JPEGImages/480p/bear/00001.jpg", "DAVIS/JPEGImages/480p/dogs-jump/00000.jpg",
                "DAVIS/JPEGImages/480p/unlisted/00000.jpg");
        DatasetFixtures.paletteLabels(root.resolve("DAVIS/Annotations/480p/bear/00000.png"), new int[][] {{0, 1, 2, 255}});
        DatasetFixtures.paletteLabels(root.resolve("DAVIS/Annotations/480p/bear/00001.png"), new int[][] {{3}});
        DatasetFixtures.paletteLabels(root.resolve("DAVIS/Annotations/480p/dogs-jump/00000.png"), new int[][] {{0}});
        text(root.resolve("DAVIS/ImageSets/2017/val.txt"), "bear", "dogs-jump");
        SegmentationSet set = Davis.read(root, "val");
        assertEquals(List.of(root.resolve("DAVIS/JPEGImages/480p/bear/00000.jpg"), root.resolve("DAVIS/JPEGImages/480p/bear/00001.jpg"),
                root.resolve("DAVIS/JPEGImages/480p/dogs-jump/00000.jpg")), set.items().stream().map(DenseImage::image).toList());
        assertEquals(2, set.classes());
        assertArrayEquals(new int[] {0, 1, 1, 0}, set.labels(set.items().get(0)).values());
        assertEquals(DownstreamLayout.DAVIS, DownstreamLayout.detect(root));
        assertEquals(DownstreamLayout.DAVIS, DownstreamLayout.detect(root.resolve("DAVIS"))); // has Annotations/ and ImageSets/, like CARPK
        Files.delete(root.resolve("DAVIS/Annotations/480p/bear/00001.png"));
        assertNames(assertThrows(PerceptException.class, () -> Davis.read(root, "val")), "val.txt", "bear/00001.png");
        text(root.resolve("DAVIS/ImageSets/2017/train.txt"), "camel");
        assertNames(assertThrows(PerceptException.class, () -> Davis.read(root, "train")), "480p/camel");
    }

    @Test
    void sunRgbdUndoesTheToolboxBitRotationAndSkipsPairsWithoutDepth() throws IOException {
        String scene = "SUNRGBD/kv2/kinect2data/000002_2014-05-26_14-23-37_260595134347_rgbf000103-resize";
        touch(scene + "/image/0000103.jpg");
        DatasetFixtures.depthMillimetres(root.resolve(scene + "/depth_bfx/0000103.png"), new int[][] {
            {0, DatasetFixtures.sunRgbdStored(1500), DatasetFixtures.sunRgbdStored(40000)}});
        assertEquals(57860, DatasetFixtures.sunRgbdStored(40000)); // (40000 << 3 | 40000 >> 13) in 16 bits
        text(root.resolve("SUNRGBD_val_splits.txt"), "/" + scene + "/image/0000103.jpg /" + scene + "/depth_bfx/0000103.png",
                scene + "/image/0000103.jpg None");
        List<DenseImage> items = SunRgbd.read(root, "val");
        assertEquals(1, items.size());
        DepthMap depth = new DepthSet(items, DepthSet.Encoding.ROTATED_MILLIMETRES).metres(items.get(0));
        assertArrayEquals(new float[] {0, 1.5f, 40f}, depth.metres(), 1e-6f);
        assertEquals(DownstreamLayout.SUNRGBD, DownstreamLayout.detect(root));
        text(root.resolve("SUNRGBD_train_splits.txt"), "a.jpg b.png", "a.jpg b.png c.png");
        assertNames(assertThrows(PerceptException.class, () -> SunRgbd.read(root, "train")), "SUNRGBD_train_splits.txt, line 2");
    }

    @Test
    void lightFieldReadsCentreViewsAndPfmDepthOfTheJoinedCategories() {
        DatasetFixtures.lightField(root, "training", 2, 1);
        DatasetFixtures.lightField(root, "additional", 1, 2);
        List<DenseImage> items = LightField.read(root, "training+additional");
        assertEquals(List.of(root.resolve("training/training_scene_0/input_Cam040.png"), root.resolve("training/training_scene_1/input_Cam040.png"),
                root.resolve("additional/additional_scene_0/input_Cam040.png")), items.stream().map(DenseImage::image).toList());
        DepthMap depth = new DepthSet(items, DepthSet.Encoding.PFM_METRES).metres(items.get(0));
        assertEquals(24, depth.width());
        assertEquals(24, depth.height());
        assertTrue(depth.metres()[0] >= 0.5f && depth.metres()[0] < depth.metres()[23], java.util.Arrays.toString(depth.metres()));
        assertEquals(DownstreamLayout.LIGHTFIELD, DownstreamLayout.detect(root));
        assertEquals(null, DownstreamLayout.LIGHTFIELD.trainSplit());
        DatasetFixtures.paintedImage(root.resolve("test/bedroom/input_Cam040.png"), DatasetFixtures.halves(4, 1, 2));
        assertNames(assertThrows(PerceptException.class, () -> LightField.read(root, "test")), "bedroom/gt_depth_lowres.pfm");
        assertNames(assertThrows(PerceptException.class, () -> LightField.read(root, "stratified")), "stratified");
    }

    @Test
    void deepFashion2MakesUserQueriesAndAShopGalleryOfPairStyleItems() throws IOException {
        touch("validation/image/000001.jpg", "validation/image/000002.jpg", "validation/image/000003.jpg",
                "validation/image/000004.jpg");
        text(root.resolve("validation/annos/000001.json"), "{\"source\": \"user\", \"pair_id\": 1, "
                + "\"item1\": {\"style\": 1, \"category_id\": 1}, \"item2\": {\"style\": 0}}");
        text(root.resolve("validation/annos/000002.json"), "{\"source\": \"shop\", \"pair_id\": 1, \"item1\": {\"style\": 1}}");
        text(root.resolve("validation/annos/000003.json"), "{\"source\": \"shop\", \"pair_id\": 2, \"item1\": {\"style\": 1}}");
        text(root.resolve("validation/annos/000004.json"), "{\"source\": \"user\", \"pair_id\": 2, \"item1\": {\"style\": 0}}");
        DeepFashion2.Split s = DeepFashion2.read(root, "validation");
        assertEquals(List.of(new RetrievalImage(root.resolve("validation/image/000001.jpg"), Set.of("1:1"))), s.queries());
        assertEquals(List.of(Set.of("1:1"), Set.of("2:1")), s.gallery().stream().map(RetrievalImage::items).toList());
        assertEquals(DownstreamLayout.DEEPFASHION2, DownstreamLayout.detect(root));
        text(root.resolve("validation/annos/000004.json"), "{\"source\": \"street\", \"pair_id\": 2}");
        assertNames(assertThrows(PerceptException.class, () -> DeepFashion2.read(root, "validation")), "000004.json", "source");
    }

    @Test
    void classFoldersLabelByFolderAndPickTheirSplits() throws IOException {
        touch("train/daisy/1.jpg", "train/rose/2.png", "train/rose/notes.txt", "val/daisy/3.jpg", "test/rose/4.jpg");
        assertEquals(List.of("daisy", "rose"), ClassFolders.read(root, "train").stream().map(LabeledImage::label).toList());
        assertEquals(DownstreamLayout.FOLDERS, DownstreamLayout.detect(root));
        assertEquals("val", DownstreamLayout.FOLDERS.valSplit(root));
        assertEquals("test", DownstreamLayout.FOLDERS.testSplit(root));
        assertNames(assertThrows(PerceptException.class, () -> ClassFolders.read(root, "nope")), root.resolve("nope").toString());
    }

    @Test
    void petsReadTheirOwnListsWithBreedLabels() throws IOException {
        touch("images/Abyssinian_100.jpg", "images/great_pyrenees_3.jpg");
        text(root.resolve("annotations/trainval.txt"), "#Image CLASS-ID SPECIES BREED ID", "Abyssinian_100 1 1 1",
                "great_pyrenees_3 22 2 13");
        text(root.resolve("annotations/test.txt"), "Abyssinian_100 1 1");
        assertEquals(List.of("Abyssinian", "great_pyrenees"), OxfordPets.read(root, "trainval").stream().map(LabeledImage::label).toList());
        assertEquals(DownstreamLayout.PETS, DownstreamLayout.detect(root));
        assertNames(assertThrows(PerceptException.class, () -> OxfordPets.read(root, "test")), "test.txt, line 1");
    }

    @Test
    void anUnknownFolderAsksForALayout() {
        assertNames(assertThrows(PerceptException.class, () -> DownstreamLayout.detect(root)), "--layout");
    }
}
