package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.search.QueryModel;
import dev.percept.search.SearchIndex;
import dev.percept.search.SearchServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve indexes on a web page (query by example, side by side) and a JSON API, until stopped.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "[NAME=]INDEX",
            description = "An index to serve, named NAME (default: its folder name); repeat for side-by-side columns.")
    List<String> indexes;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE} (0: any free port).")
    int port;

    @Option(names = "--max-upload-bytes", defaultValue = "20971520", paramLabel = "N",
            description = "Largest upload accepted. Default: ${DEFAULT-VALUE} (20 MiB).")
    long maxUploadBytes;

    @Option(names = "--max-upload-pixels", defaultValue = "40000000", paramLabel = "N",
            description = "Largest upload in pixels, read from its header before decoding. Default: ${DEFAULT-VALUE}.")
    long maxUploadPixels;

    @Override
    public Integer call() throws InterruptedException {
        ModelStore store = new ModelStore(HubSettings.fromEnvironment(), KnownModels.DEFAULT);
        List<SearchServer.Served> served = new ArrayList<>();
        try {
            for (String spec : indexes) {
                int eq = spec.indexOf('=');
                Path location = Path.of(eq < 0 ? spec : spec.substring(eq + 1));
                String name = eq < 0 ? String.valueOf(location.toAbsolutePath().normalize().getFileName()) : spec.substring(0, eq);
                if (name.isBlank()) {
                    throw new PerceptException("--index " + spec + ": the name before '=' is empty");
                }
                SearchIndex index = SearchIndex.open(location);
                served.add(new SearchServer.Served(name, index, new QueryModel(index, store)));
            }
            try (SearchServer server = SearchServer.start(served, new SearchServer.Limits(maxUploadBytes, maxUploadPixels), host, port)) {
                System.out.println("serving " + served.stream().map(SearchServer.Served::name).toList()
                        + " on http://" + host + ":" + server.port() + "/ (Ctrl-C stops)");
                new CountDownLatch(1).await();
            }
        } finally {
            for (SearchServer.Served s : served) {
                s.model().close();
                s.index().close();
            }
        }
        return 0;
    }
}
