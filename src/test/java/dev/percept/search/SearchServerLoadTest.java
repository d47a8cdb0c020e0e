package dev.percept.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent clients on loopback against /api/similar, a bounded number of requests within a
 * bounded time: no errors (every answer a 200 with k results), at most 1% of answers whose first
 * result is not the query image itself (an HNSW miss), and the throughput and 99th-percentile latency printed.
 */
class SearchServerLoadTest {
    @TempDir
    Path dir;

    @Test
    void concurrentClientsOn2kVectors() throws Exception {
        load(2_000, 4, 100);
    }

    @Test
    @Tag("slow")
    void concurrentClientsOn100kVectors() throws Exception {
        load(100_000, 8, 500);
    }

    private void load(int n, int clients, int requestsPerClient) throws Exception {
        float[][] vectors = SyntheticEmbeddings.generate(n, 768, Math.max(10, n / 100), 7);
        RandomVectors.write(dir.resolve("ix"), vectors, Quantization.NONE);
        try (SearchIndex index = SearchIndex.open(dir.resolve("ix"));
                SearchServer server = SearchServer.start(List.of(new SearchServer.Served("v", index, null)),
                        SearchServer.Limits.DEFAULT, "127.0.0.1", 0)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger selfMissed = new AtomicInteger();
            long[] latencies = new long[clients * requestsPerClient];
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < requestsPerClient; i++) {
                        int slot = client * requestsPerClient + i;
                        String path = RandomVectors.path((slot * 7919) % n);
                        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/similar?k=10&path="
                                + URLEncoder.encode(path, StandardCharsets.UTF_8));
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200 || !r.body().startsWith("{\"results\":[{\"path\":\"")
                                    || r.body().split("\"path\"", -1).length != 11) {
                                errors.incrementAndGet();
                            } else if (!r.body().startsWith("{\"results\":[{\"path\":\"" + path + "\"")) {
                                selfMissed.incrementAndGet(); // the graph search missed the query's own vector: recall, not an error
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencies[slot] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(300, TimeUnit.SECONDS), "load test did not finish in 300 s");
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            double p99 = latencies[(int) Math.ceil(0.99 * latencies.length) - 1] / 1e6;
            double p50 = latencies[latencies.length / 2] / 1e6;
            System.out.printf(Locale.ROOT, "load: %d x 768 vectors, %d clients, %d requests in %.1f s: %.0f QPS, p50 %.1f ms, p99 %.1f ms, "
                    + "%d errors, %d answers without the query image first%n",
                    n, clients, latencies.length, seconds, latencies.length / seconds, p50, p99, errors.get(), selfMissed.get());
            assertEquals(0, errors.get());
            assertTrue(selfMissed.get() <= latencies.length / 100, selfMissed + " answers missed the query image itself");
        }
    }
}
