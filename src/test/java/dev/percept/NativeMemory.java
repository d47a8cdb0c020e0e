package dev.percept;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;

/**
 * Native memory in use at one moment: live JavaCPP handles (tensors and the wrappers around
 * their arguments) and the process's resident bytes, taken after collecting garbage so that
 * handles nothing refers to any more are freed first.
 */
public record NativeMemory(long handles, long residentBytes) {
    public static NativeMemory now() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100); // lets the collector queue what it found
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Pointer.deallocateReferences();
        }
        return new NativeMemory(Pointer.totalCount(), Pointer.physicalBytes());
    }

    /**
     * Runs {@code step} twice {@code half} times (after the caller's warm-up) and fails if a native
     * handle is left behind, or if the resident size grew by more than {@code slack} bytes in both
     * halves. A leak grows with every step, so it shows in each half; the allocator's pools and the
     * Java heap settle once, a one-off jump (up to 10 MB seen here) that only one half sees.
     */
    public static void assertSteady(Runnable step, int half, long slack, String what) {
        NativeMemory before = now();
        for (int i = 0; i < half; i++) {
            step.run();
        }
        NativeMemory middle = now();
        for (int i = 0; i < half; i++) {
            step.run();
        }
        NativeMemory after = now();
        after.assertNoHandlesLeftSince(before, what);
        long first = middle.residentBytes - before.residentBytes;
        long second = after.residentBytes - middle.residentBytes;
        System.out.printf("%s: resident %+.1f MB, then %+.1f MB%n", what, first / 1e6, second / 1e6);
        assertTrue(Math.min(first, second) <= slack,
                what + " grew the resident size in both halves: by " + first + " and " + second + " bytes (allowed " + slack
                        + " in at least one)");
    }

    /** Fails if, since {@code before}, any native handle is left over. */
    public void assertNoHandlesLeftSince(NativeMemory before, String what) {
        long growth = handles - before.handles;
        System.out.printf("%s: native handles %+d%n", what, growth);
        assertTrue(growth <= 0, what + " left " + growth + " native handles behind");
    }
}
