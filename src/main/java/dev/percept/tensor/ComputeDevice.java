package dev.percept.tensor;

import dev.percept.PerceptException;
import java.util.Locale;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live: the CPU, or a CUDA GPU when the CUDA natives are on the class path. META
 * holds shapes and types but no data: the tests use it to check, without a GPU, that every tensor
 * follows the model to a device other than the CPU; it is not offered on the command line.
 */
public enum ComputeDevice {
    CPU,
    CUDA,
    META;

    public boolean isCuda() {
        return this == CUDA;
    }

    /** The libtorch device; checks that CUDA is really usable before anything is moved there. */
    public Device torchDevice() {
        if (this == CUDA && !torch.cuda_is_available()) {
            throw new PerceptException(
                    "--device cuda: no usable CUDA device. Build with `./mvnw -Pcuda package` "
                            + "(CUDA natives) and install CUDA 13.1 and cuDNN 9.19; see README, section GPU");
        }
        return new Device(toString());
    }

    /** A {@code --device} value: cpu or cuda. */
    public static ComputeDevice parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda" -> CUDA;
            default -> throw new PerceptException("--device " + s + ": expected cpu or cuda");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
