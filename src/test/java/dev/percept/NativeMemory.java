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
     * Fails if, since {@code before}, any native handle is left over or the resident size grew by
     * more than {@code residentSlack} bytes.
     */
    public void assertNoGrowthSince(NativeMemory before, long residentSlack, String what) {
        assertNoHandlesLeftSince(before, what);
        long residentGrowth = residentBytes - before.residentBytes;
        System.out.printf("%s: resident %+.1f MB%n", what, residentGrowth / 1e6);
        assertTrue(residentGrowth <= residentSlack,
                what + " grew the resident size by " + residentGrowth + " bytes (allowed " + residentSlack + ")");
    }

    /** Fails if, since {@code before}, any native handle is left over. */
    public void assertNoHandlesLeftSince(NativeMemory before, String what) {
        long growth = handles - before.handles;
        System.out.printf("%s: native handles %+d%n", what, growth);
        assertTrue(growth <= 0, what + " left " + growth + " native handles behind");
    }
}
