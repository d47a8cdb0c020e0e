package dev.percept.cli;

import dev.percept.report.HtmlReport;
import dev.percept.report.ReportData;
import dev.percept.report.ResultFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report (tables, bar charts with 95%% intervals, nearest-neighbour "
                + "galleries) from compare.json and any evaluation result (percept eval tasks, 2afc, rag; alignment "
                + "epochs/<n>/validation.json).")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE",
            description = "compare.json or a `percept eval ... --out` result; repeat to merge several.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Option(names = "--title", defaultValue = "percept report", paramLabel = "TEXT", description = "Default: ${DEFAULT-VALUE}.")
    String title;

    @Override
    public Integer call() {
        ReportData data = ResultFiles.read(inputs);
        HtmlReport.write(data, title, out);
        System.err.printf("wrote %s: %d table(s), %d galler%s%n", out, data.tables().size(), data.galleries().size(),
                data.galleries().size() == 1 ? "y" : "ies");
        return 0;
    }
}
