package dev.percept.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading memory-mapped features into a tensor, chunk by chunk. */
class ProbeOpsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engine.start(1);
    }

    @Test
    void aMappedFileLoadsWholeWhateverTheChunkSize() {
        float[] data = new float[5 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        Path file = dir.resolve("f.npy");
        Npy.write(file, new FloatArray(new long[] {5, 3}, data));
        try (PointerScope scope = new PointerScope()) {
            assertArrayEquals(data, Ops.toFloats(ProbeOps.load(Npy.map(file))));
            assertArrayEquals(data, Ops.toFloats(ProbeOps.load(Npy.map(file), 2 * 3 * 4))); // two rows per chunk
            assertArrayEquals(new long[] {5, 3}, ProbeOps.load(Npy.map(file), 12).sizes().vec().get());
        }
    }
}
