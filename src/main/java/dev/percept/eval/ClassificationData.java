package dev.percept.eval;

import dev.percept.data.downstream.ClassFolders;
import dev.percept.data.downstream.DownstreamLayout;
import dev.percept.data.downstream.LabeledImage;
import dev.percept.data.downstream.OxfordPets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** Classification splits as image lists and class indices (class names sorted, over train and test). */
record ClassificationData(DatasetSplits splits, List<String> classes, List<LabeledImage> train, List<LabeledImage> val,
        List<LabeledImage> test) {

    static ClassificationData read(Path data, TaskOptions options, String task) {
        DatasetSplits splits = DatasetSplits.of(data, options, task, DownstreamLayout.Kind.CLASSIFICATION);
        List<LabeledImage> train = read(splits.layout(), data, splits.train());
        List<LabeledImage> test = read(splits.layout(), data, splits.test());
        List<LabeledImage> val = splits.val() == null ? null : read(splits.layout(), data, splits.val());
        TreeSet<String> names = new TreeSet<>();
        train.forEach(i -> names.add(i.label()));
        test.forEach(i -> names.add(i.label()));
        if (val != null) {
            val.forEach(i -> names.add(i.label()));
        }
        return new ClassificationData(splits, List.copyOf(names), train, val, test);
    }

    private static List<LabeledImage> read(DownstreamLayout layout, Path data, String split) {
        return layout == DownstreamLayout.PETS ? OxfordPets.read(data, split) : ClassFolders.read(data, split);
    }

    int[] labels(List<LabeledImage> items) {
        return items.stream().mapToInt(i -> java.util.Collections.binarySearch(classes, i.label())).toArray();
    }

    static List<Path> images(List<LabeledImage> items) {
        return items.stream().map(LabeledImage::image).toList();
    }
}
