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
class TensorsTest {
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
            assertArrayEquals(data, Tensors.toFloats(Placement.CPU.load(Npy.map(file))));
            assertArrayEquals(data, Tensors.toFloats(Placement.CPU.load(Npy.map(file), 2 * 3 * 4))); // two rows per chunk
            assertArrayEquals(new long[] {5, 3}, Placement.CPU.load(Npy.map(file), 12).sizes().vec().get());
            assertArrayEquals(new float[] {6, 6.5f, 7, 0, 0.5f, 1}, Tensors.toFloats(Placement.CPU.rows(Npy.map(file), new int[] {4, 0})));
        }
    }

    @Test
    void channelMomentsPoolEveryPositionOfEveryRow() {
        // rows [2, 2, 1] of channel values 1, 3 | 5, 7: mean 4, population std sqrt(5)
        Path file = dir.resolve("g.npy");
        Npy.write(file, new FloatArray(new long[] {2, 2, 1}, new float[] {1, 3, 5, 7}));
        try (PointerScope scope = new PointerScope()) {
            org.bytedeco.pytorch.Tensor[] m = Standardize.channelMoments(Npy.map(file), 1);
            assertArrayEquals(new float[] {4}, Tensors.toFloats(m[0]), 1e-6f);
            assertArrayEquals(new float[] {(float) Math.sqrt(5)}, Tensors.toFloats(m[1]), 1e-6f);
        }
    }
}
