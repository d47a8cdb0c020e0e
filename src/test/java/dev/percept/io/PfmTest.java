package dev.percept.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.data.downstream.DatasetFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PFM float maps: byte order from the scale's sign, rows stored bottom to top, and malformed files named. */
class PfmTest {
    private static final float[][] ROWS = {{1.5f, -2f, 3.25f}, {4f, Float.POSITIVE_INFINITY, 6.125f}};

    @TempDir
    Path dir;

    private static void assertNames(PerceptException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void littleEndianFileComesBackTopRowFirst() {
        Path f = dir.resolve("le.pfm");
        DatasetFixtures.pfm(f, ROWS, true, 1);
        FloatArray map = Pfm.read(f);
        assertArrayEquals(new long[] {2, 3}, map.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 4f, Float.POSITIVE_INFINITY, 6.125f}, map.data());
    }

    @Test
    void bigEndianFileIsScaledByTheScaleMagnitude() {
        Path f = dir.resolve("be.pfm");
        DatasetFixtures.pfm(f, ROWS, false, 2);
        assertArrayEquals(new float[] {3f, -4f, 6.5f, 8f, Float.POSITIVE_INFINITY, 12.25f}, Pfm.read(f).data());
    }

    @Test
    void colourTruncatedAndMalformedFilesAreNamed() throws IOException {
        Path f = dir.resolve("bad.pfm");
        Files.writeString(f, "PF\n1 1\n-1\n");
        assertNames(assertThrows(PerceptException.class, () -> Pfm.read(f)), f.toString(), "colour");
        Files.writeString(f, "Pf\n2 x\n-1\n");
        assertNames(assertThrows(PerceptException.class, () -> Pfm.read(f)), f.toString(), "line 2");
        Files.writeString(f, "Pf\n2 2\n0\n");
        assertNames(assertThrows(PerceptException.class, () -> Pfm.read(f)), "line 3", "non-zero");
        DatasetFixtures.pfm(f, ROWS, true, 1);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertNames(assertThrows(PerceptException.class, () -> Pfm.read(f)), f.toString(), "23 bytes", "need 24");
        Files.writeString(f, "Pf");
        assertNames(assertThrows(PerceptException.class, () -> Pfm.read(f)), "line 1");
    }
}
