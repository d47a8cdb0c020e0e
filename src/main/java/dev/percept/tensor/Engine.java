package dev.percept.tensor;

import dev.percept.PerceptException;
import java.io.IOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

/**
 * The libtorch runtime: loads the natives shipped in the pytorch jar and sets the thread count.
 * Every entry point calls {@link #start} before touching a torch class.
 */
public final class Engine {
    private static boolean loaded;

    private Engine() {}

    /**
     * Loads libtorch (once) and sets the intra-op thread count; {@code threads <= 0} means one
     * per available core.
     */
    public static synchronized void start(int threads) {
        if (!loaded) {
            load();
            loaded = true;
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        torch.set_num_threads(n);
    }

    public static int threads() {
        return torch.get_num_threads();
    }

    /**
     * The bundled OpenBLAS's own thread pool: {@code OPENBLAS_NUM_THREADS} when set, else one per
     * core. OpenBLAS would size it at load from {@code OPENBLAS_NUM_THREADS}, else
     * {@code OMP_NUM_THREADS}; the pool's size sets how a product is split, and each size rounds
     * differently in the last bits (measured: pools of 1, 2, 3, 4 and 8 threads, five different
     * results for the same float32 product; up to 1e-6 in the test model's vectors). Spark sets
     * its executors' {@code OMP_NUM_THREADS} to {@code spark.task.cpus} (1 by default), so they
     * used to embed differently from {@code percept embed} on the same machine. Sized here, the
     * pool ignores OpenMP's setting, which libtorch's own threads ({@link #start}) replace.
     */
    static int blasThreads() {
        String set = System.getenv("OPENBLAS_NUM_THREADS");
        if (set == null || set.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int n;
        try {
            n = Integer.parseInt(set.strip());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n <= 0) {
            throw new PerceptException("OPENBLAS_NUM_THREADS must be a positive whole number, not " + set);
        }
        return n;
    }

    private static void load() {
        try {
            // A build with the CUDA natives (./mvnw -Pcuda) carries them under "<platform>-gpu".
            String gpu = "/org/bytedeco/pytorch/" + Loader.getPlatform() + "-gpu/";
            if (Engine.class.getResource(gpu) != null) {
                System.setProperty("org.bytedeco.javacpp.platform.extension", "-gpu");
            }
            String natives = "/org/bytedeco/pytorch/" + Loader.getPlatform()
                    + System.getProperty("org.bytedeco.javacpp.platform.extension", "") + "/";
            // Unpack the whole native folder before the first torch class loads: otherwise the
            // dynamic linker may resolve libtorch_cpu from a system copy (e.g. Debian's
            // python3-torch) and crash on the version mismatch.
            Loader.cacheResources(natives);
            Loader.load(torch.class);
            // Interop threads only pay off with concurrent graphs; we run one at a time.
            torch.set_num_interop_threads(1);
            openblas_nolapack.blas_set_num_threads(blasThreads());
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new PerceptException(
                    "cannot load libtorch natives for " + Loader.getPlatform() + ": " + e.getMessage(), e);
        }
    }
}
