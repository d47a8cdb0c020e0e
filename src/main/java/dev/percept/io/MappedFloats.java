package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A float32 {@code .npy} file read through memory maps (from {@link Npy#map}): the operating
 * system pages rows in as they are used and shares them between processes.
 */
public final class MappedFloats {
    private final Path file;
    private final long[] shape;
    private final long dataStart;
    private final long rowElements;

    MappedFloats(Path file, long[] shape, long dataStart) {
        this.file = file;
        this.shape = shape.clone();
        this.dataStart = dataStart;
        this.rowElements = shape.length == 0 ? 1 : FloatArray.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
    }

    public Path file() {
        return file;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Values per row (the product of all dimensions but the first). */
    public long rowElements() {
        return rowElements;
    }

    /** Rows {@code first .. first + count - 1} as little-endian bytes mapped from the file. */
    public ByteBuffer rows(long first, long count) {
        if (first < 0 || count < 0 || first + count > rows()) {
            throw new IndexOutOfBoundsException("rows " + first + "+" + count + " of " + rows() + " in " + file);
        }
        long bytes = 4 * rowElements * count;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("map at most 2 GB at a time; asked for " + bytes + " bytes of " + file);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + 4 * rowElements * first, bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new PerceptException("cannot read " + file + ": " + e, e);
        }
    }

    /** One row as floats. */
    public float[] row(long index) {
        float[] out = new float[(int) rowElements];
        rows(index, 1).asFloatBuffer().get(out);
        return out;
    }
}
