package dev.percept.tensor;

import dev.percept.PerceptException;
import java.io.IOException;
import org.bytedeco.javacpp.Loader;
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
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new PerceptException(
                    "cannot load libtorch natives for " + Loader.getPlatform() + ": " + e.getMessage(), e);
        }
    }
}
