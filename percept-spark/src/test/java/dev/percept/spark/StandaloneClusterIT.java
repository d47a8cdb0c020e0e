package dev.percept.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * its rows equal those of local mode. The executors find libtorch in the job jar: JavaCPP unpacks
 * it into a cache folder that starts empty.
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

        Map<String, List<Float>> local;
        try (SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate()) {
            assertEquals(0, Jobs.run(new EmbedJob(), concat(job, "--output", dir.resolve("local").toString())));
            local = vectors(spark, dir.resolve("local"));
        }

        String master = startCluster();
        Path natives = dir.resolve("javacpp-cache");
        Map<String, List<Float>> cluster;
        try (SparkSession spark = SparkSession.builder().master(master).appName("percept-spark cluster test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.jars", jobJar.toString())
                .config("spark.executor.cores", "1")
                .config("spark.executor.memory", "1g")
                .config("spark.cores.max", "2")
                .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                // Spark sets OMP_NUM_THREADS to the executor's cores; OpenBLAS then splits its GEMMs differently
                // from local mode (2 threads on this machine) and the last bits of the vectors change.
                .config("spark.executorEnv.OMP_NUM_THREADS", "" + Runtime.getRuntime().availableProcessors())
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
        assertEquals(24, local.size());
        assertEquals(local, cluster);
        try (Stream<Path> unpacked = Files.walk(natives)) {
            assertTrue(unpacked.anyMatch(p -> p.getFileName().toString().equals("libtorch_cpu.so")),
                    "executors unpacked libtorch from the job jar into " + natives);
        }
    }

    private static Map<String, List<Float>> vectors(SparkSession spark, Path parquet) {
        Map<String, List<Float>> out = new TreeMap<>();
        for (Row r : spark.read().parquet(parquet.toString()).collectAsList()) {
            assertNull(r.getAs("error"));
            out.put(r.getAs("path"), r.getList(r.fieldIndex("vector")));
        }
        return out;
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
