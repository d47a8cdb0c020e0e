package dev.percept.eval;

import dev.percept.PerceptException;
import dev.percept.data.downstream.DownstreamLayout;
import java.nio.file.Path;

/**
 * A dataset folder's layout and the splits a protocol uses: the layout's own unless overridden.
 * {@code val} is null when the dataset has no validation split apart from test (the probe then
 * holds one out of train); overriding the train split drops the layout's validation split.
 */
public record DatasetSplits(DownstreamLayout layout, String train, String val, String test) {
    public static DatasetSplits of(Path data, TaskOptions options, String task, DownstreamLayout.Kind... kinds) {
        DownstreamLayout layout = options.layout() == null ? DownstreamLayout.detect(data) : DownstreamLayout.parse(options.layout());
        if (!java.util.Arrays.asList(kinds).contains(layout.kind())) {
            throw new PerceptException(data + " is a " + layout.cliName() + " folder (" + layout.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + "); `eval " + task + "` needs " + java.util.Arrays.toString(kinds).toLowerCase(java.util.Locale.ROOT) + " data");
        }
        String train = options.trainSplit() != null ? options.trainSplit() : layout.trainSplit();
        String val = options.trainSplit() != null ? null : layout.valSplit(data);
        String test = options.testSplit() != null ? options.testSplit() : layout.testSplit(data);
        return new DatasetSplits(layout, train, val, test);
    }
}
