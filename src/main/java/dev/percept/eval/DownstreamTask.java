package dev.percept.eval;

import dev.percept.PerceptException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The protocols that score a model's features on a dataset, by their public names ({@code percept
 * eval <task>}, {@code percept compare --suite TASK=DIR}): the downstream tasks and 2AFC.
 */
public enum DownstreamTask {
    TWO_AFC,
    KNN,
    LINEAR,
    COUNTING,
    SEGMENTATION,
    DEPTH,
    RETRIEVAL;

    public String cliName() {
        return this == TWO_AFC ? TwoAfcTask.NAME : name().toLowerCase(Locale.ROOT);
    }

    /** Whether the probe reads patch-token grids (whatever --features says) rather than one vector per image. */
    public boolean dense() {
        return this == SEGMENTATION || this == DEPTH;
    }

    public TaskResult run(FeatureSource source, Path data, TaskOptions options) {
        return switch (this) {
            case TWO_AFC -> TwoAfcTask.run(source, data, options);
            case KNN -> KnnTask.run(source, data, options);
            case LINEAR -> LinearTask.run(source, data, options);
            case COUNTING -> CountingTask.run(source, data, options);
            case SEGMENTATION -> SegmentationTask.run(source, data, options);
            case DEPTH -> DepthTask.run(source, data, options);
            case RETRIEVAL -> RetrievalTask.run(source, data, options);
        };
    }

    /** A task by name; {@code classification} is the linear probe. */
    public static DownstreamTask parse(String s) {
        String name = s.strip().toLowerCase(Locale.ROOT);
        if (name.equals("classification")) {
            return LINEAR;
        }
        for (DownstreamTask t : values()) {
            if (t.cliName().equals(name)) {
                return t;
            }
        }
        throw new PerceptException("unknown task '" + s + "'; choose one of classification, "
                + Arrays.stream(values()).map(DownstreamTask::cliName).collect(Collectors.joining(", ")));
    }
}
