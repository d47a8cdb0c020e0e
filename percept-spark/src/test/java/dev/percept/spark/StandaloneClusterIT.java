package dev.percept.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.cli.Main;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster on loopback: a master and two workers, each a JVM of its own started
 * from Spark's jars alone (a distribution's {@code jars/} folder), runs EmbedJob from the job jar;
 * its vectors are local mode's and {@code percept embed}'s, bit for bit. The executors find libtorch
 * in the job jar: JavaCPP unpacks it into a cache folder that starts empty.
 */
class StandaloneClusterIT {
    private final List<Process> processes = new ArrayList<>();

    /** The cluster's folders and logs, kept after the run for a look: under target/, emptied first. */
    private final Path dir = Path.of("target", "standalone-cluster").toAbsolutePath();

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor();
        }
    }

    @Test
    void embedJobOnTwoWorkersEqualsLocalMode() throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path jobJar = Path.of(System.getProperty("percept.spark.jar"));
        assertTrue(Files.isRegularFile(jobJar), jobJar + " is built by `package`, before this test");
        Path images = dir.resolve("images");
        for (int i = 0; i < 24; i++) {
            Fixtures.png(images.resolve(String.format("img%02d.png", i)), i, 24 + 4 * (i % 5));
        }
        String[] job = {"--model", Fixtures.DINO.toString(), "--precision", "fp32", "--batch", "4", "--partitions", "4",
            "--input", images.toString()};

        Path npy = dir.resolve("cli.npy");
        assertEquals(0, Main.commandLine().execute("embed", "--model", Fixtures.DINO.toString(), "--precision", "fp32",
                "--batch", "4", "--threads", "1", "--out", npy.toString(), images.toString()));
        Map<String, float[]> cli = EmbedJobTest.rowsOf(npy);

        Map<String, float[]> local;
        try (SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate()) {
            assertEquals(0, Jobs.run(new EmbedJob(), concat(job, "--output", dir.resolve("local").toString())));
            local = vectors(spark, dir.resolve("local"));
        }

        String master = startCluster();
        Path natives = dir.resolve("javacpp-cache");
        Map<String, float[]> cluster;
        try (SparkSession spark = SparkSession.builder().master(master).appName("percept-spark cluster test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.jars", jobJar.toString())
                .config("spark.executor.cores", "1")
                .config("spark.executor.memory", "1g")
                .config("spark.cores.max", "2")
                .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                // What Spark sets by default (spark.task.cpus), set here so the test keeps it: the
                // bundled OpenBLAS used to size its thread pool from it and round differently.
                .config("spark.executorEnv.OMP_NUM_THREADS", "1")
                .config("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.cachedir=" + natives)
                .getOrCreate()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3 && System.nanoTime() < deadline) {
                Thread.sleep(200); // the driver and one executor per worker
            }
            assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length, "executors registered");
            assertEquals(0, Jobs.run(new EmbedJob(), concat(job, "--output", dir.resolve("cluster").toString())));
            cluster = vectors(spark, dir.resolve("cluster"));
        }
        assertEquals(24, cli.size());
        assertEquals(cli.keySet(), local.keySet());
        assertEquals(cli.keySet(), cluster.keySet());
        // Equal bits, not merely close: the executors must round as `percept embed` does (Engine
        // sizes OpenBLAS's pool itself; the pool Spark's OMP_NUM_THREADS gave them differed by 1e-6).
        for (String path : cli.keySet()) {
            assertBitsEqual(cli.get(path), local.get(path), "local mode, " + path);
            assertBitsEqual(cli.get(path), cluster.get(path), "cluster, " + path);
        }
        try (Stream<Path> unpacked = Files.walk(natives)) {
            assertTrue(unpacked.anyMatch(p -> p.getFileName().toString().equals("libtorch_cpu.so")),
                    "executors unpacked libtorch from the job jar into " + natives);
        }
    }

    private static Map<String, float[]> vectors(SparkSession spark, Path parquet) {
        Map<String, float[]> out = new TreeMap<>();
        for (Row r : spark.read().parquet(parquet.toString()).collectAsList()) {
            assertNull(r.getAs("error"));
            out.put(r.getAs("path"), EmbeddingTable.vector(r));
        }
        return out;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int c = 0; c < expected.length; c++) {
            int e = Float.floatToRawIntBits(expected[c]);
            int a = Float.floatToRawIntBits(actual[c]);
            if (e != a) {
                throw new AssertionError(String.format("%s [%d]: %s (bits %08x) is not `percept embed`'s %s (bits %08x)",
                        what, c, actual[c], a, expected[c], e));
            }
        }
    }

    /** Starts a master and two workers (1 core, 2 GB each); returns the master's URL once both workers have registered. */
    private String startCluster() throws IOException, InterruptedException {
        Path home = sparkHome();
        int port = freePort();
        String url = "spark://127.0.0.1:" + port;
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        start(home, logs.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", "" + port, "--webui-port", "" + freePort());
        for (int w = 1; w <= 2; w++) {
            Path work = dir.resolve("worker" + w);
            Files.createDirectories(work);
            start(home, logs.resolve("worker" + w + ".log"), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", "" + freePort(),
                    "--work-dir", work.toString(), url);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.readString(logs.resolve("master.log"));
            if (log.split("Registering worker", -1).length - 1 >= 2) {
                return url;
            }
            for (Process p : processes) {
                assertTrue(p.isAlive(), "a cluster JVM exited; see " + logs);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("workers did not register within 120 s; see " + logs);
    }

    private void start(Path home, Path log, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", home.resolve("jars").toString() + File.separator + "*"));
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.options").split(" ")));
        command.add(main);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // else the launcher looks for a source build
        processes.add(pb.start());
    }

    /**
     * A Spark distribution's layout ({@code RELEASE} and {@code jars/}) linking Spark's jars from the
     * test class path, without percept or libtorch: what a worker's executors start from.
     */
    private Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Spark 4.2.0 (jars from the Maven class path)\n");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String s = jar.toString();
            boolean ours = s.contains("/dev/percept/") || s.contains("/org/bytedeco/") || s.contains("/org/apache/lucene/")
                    || s.contains("/info/picocli/") || s.contains("junit") || s.contains("opentest4j") || s.contains("apiguardian")
                    || s.contains("surefire") || s.contains("failsafe") || s.contains("/target/") || !s.endsWith(".jar");
            if (!ours) {
                Path link = home.resolve("jars").resolve(jar.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar.toAbsolutePath());
                }
            }
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
