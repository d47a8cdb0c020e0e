package dev.percept.cli;

import dev.percept.io.JsonFiles;
import dev.percept.search.Duplicates;
import dev.percept.search.SearchIndex;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "duplicates", mixinStandardHelpOptions = true,
        description = "Groups of near-duplicate images (connected components under a distance) and a histogram of "
                + "nearest-neighbour distances to choose that distance from.")
final class DuplicatesCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "INDEX", description = "Index folder written by `percept index`.")
    Path index;

    @Option(names = "--threshold", required = true, paramLabel = "D", description = "Link two images when their distance (1 - cos) is below D.")
    double threshold;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the groups and the histogram as JSON.")
    Path out;

    @Override
    public Integer call() {
        Duplicates d;
        try (SearchIndex searchIndex = SearchIndex.open(index)) {
            d = Duplicates.find(searchIndex, threshold);
        }
        List<Duplicates.Bin> histogram = d.histogram(Duplicates.HISTOGRAM_BINS);
        System.out.println("nearest-neighbour distances (" + d.nearest().length + " images):");
        int most = histogram.stream().mapToInt(Duplicates.Bin::count).max().orElse(1);
        for (Duplicates.Bin b : histogram) {
            String bar = "#".repeat((int) Math.ceil(40.0 * b.count() / Math.max(1, most)));
            String mark = b.from() < threshold && threshold <= b.to() ? "  <- threshold" : "";
            System.out.printf(Locale.ROOT, "  %.3f-%.3f %7d %s%s%n", b.from(), b.to(), b.count(), bar, mark);
        }
        long linked = Arrays.stream(d.nearest()).filter(x -> x < threshold).count();
        System.out.printf(Locale.ROOT, "%d groups under %.4f (%d images have a neighbour under it)%n", d.groups().size(), threshold, linked);
        for (int g = 0; g < d.groups().size(); g++) {
            System.out.println("group " + (g + 1) + " (" + d.groups().get(g).size() + "):");
            d.groups().get(g).forEach(p -> System.out.println("  " + p));
        }
        if (out != null) {
            JsonFiles.write(out, d.json(Duplicates.HISTOGRAM_BINS));
        }
        return 0;
    }
}
