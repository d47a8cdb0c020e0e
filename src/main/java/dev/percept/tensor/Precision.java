package dev.percept.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Numeric precision of the frozen weights and activations. */
public enum Precision {
    /** bf16 where the CPU has native bf16 units (AMX or AVX512-BF16), fp32 otherwise. */
    AUTO,
    FP32,
    BF16;

    /** The concrete precision for this machine and device. */
    public Precision resolve(ComputeDevice device) {
        if (this != AUTO) {
            return this;
        }
        // On CUDA we stay in fp32 by default: not every GPU has fast bf16.
        return device.isCuda() || !CpuFeatures.hasNativeBf16() ? FP32 : BF16;
    }

    public ScalarType scalarType() {
        return switch (this) {
            case FP32 -> ScalarType.Float;
            case BF16 -> ScalarType.BFloat16;
            case AUTO -> throw new IllegalStateException("resolve() AUTO first");
        };
    }

    public static Precision parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** CPU capabilities read from /proc/cpuinfo (Linux); absent file means no bf16 units. */
    static final class CpuFeatures {
        private static final boolean BF16 = detect();

        static boolean hasNativeBf16() {
            return BF16;
        }

        private static boolean detect() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("flags")) {
                        String flags = " " + line.substring(line.indexOf(':') + 1) + " ";
                        return flags.contains(" amx_bf16 ") || flags.contains(" avx512_bf16 ");
                    }
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
            return false;
        }
    }
}
