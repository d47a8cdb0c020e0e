package dev.percept.io;

import dev.percept.PerceptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a float32 {@code .npy} file row by row, for outputs too large to hold at once (an
 * embedding job writes each batch as it comes). The row count is fixed up front because it is in
 * the header; {@link #close()} publishes the file atomically once every row is written, and
 * deletes it otherwise.
 */
public final class NpyRowWriter implements AutoCloseable {
    private static final int CHUNK_ELEMENTS = 1 << 16;

    private final AtomicFile out;
    private final long rows;
    private final long rowElements;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private boolean closed;

    private NpyRowWriter(AtomicFile out, long rows, long rowElements) {
        this.out = out;
        this.rows = rows;
        this.rowElements = rowElements;
    }

    /**
     * Starts a file of shape {@code shape}: its first dimension counts the rows (a scalar is one
     * row of one element).
     */
    public static NpyRowWriter create(Path file, long... shape) {
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowElements = FloatArray.elementCount(Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length));
        FloatArray.elementCount(shape); // rejects negative or overflowing shapes before any file appears
        AtomicFile out = AtomicFile.create(file);
        NpyRowWriter writer = new NpyRowWriter(out, rows, rowElements);
        try {
            out.write(ByteBuffer.wrap(Npy.float32Header(shape)));
        } catch (IOException e) {
            out.close();
            throw new PerceptException("cannot write " + file + ": " + e, e);
        }
        return writer;
    }

    /**
     * Continues (or starts) {@code file} in its partial file {@code file.partial}, keeping the
     * first {@code rowsDone} rows an earlier run wrote and dropping anything after them (a row
     * torn by a crash). {@link #close()} publishes the file when every row is there and otherwise
     * leaves the partial file for the next run.
     */
    public static NpyRowWriter resume(Path file, long rowsDone, long... shape) {
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowElements = FloatArray.elementCount(Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length));
        byte[] header = Npy.float32Header(shape);
        AtomicFile out = AtomicFile.resumable(file);
        try {
            FileChannel channel = out.channel();
            long keep = header.length + 4 * rowElements * rowsDone;
            if (rowsDone > 0) {
                ByteBuffer existing = ByteBuffer.allocate(header.length);
                while (existing.hasRemaining() && channel.read(existing, existing.position()) > 0) {
                    // read the whole header
                }
                if (existing.hasRemaining() || !Arrays.equals(existing.array(), header) || channel.size() < keep) {
                    throw new PerceptException(AtomicFile.partialOf(file) + " does not hold the " + rowsDone
                            + " rows of shape " + Arrays.toString(shape) + " its job file promises; delete it and start over");
                }
            } else {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(header), 0);
            }
            channel.truncate(keep);
            channel.position(keep);
        } catch (IOException e) {
            out.close();
            throw new PerceptException("cannot write " + AtomicFile.partialOf(file) + ": " + e, e);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        NpyRowWriter writer = new NpyRowWriter(out, rows, rowElements);
        writer.written = rowsDone;
        return writer;
    }

    /** Forces the rows written so far to disk, so that a crash after this keeps them. */
    public void sync() {
        try {
            out.channel().force(false);
        } catch (IOException e) {
            throw new PerceptException("cannot write " + out.target() + ": " + e, e);
        }
    }

    /** Appends whole rows: {@code values.length} must be a multiple of the row size. */
    public void append(float[] values) {
        if (closed) {
            throw new IllegalStateException(out.target() + " is already closed");
        }
        if (rowElements == 0 ? values.length != 0 : values.length % rowElements != 0) {
            throw new IllegalArgumentException(values.length + " values are not a whole number of rows of " + rowElements);
        }
        long newRows = rowElements == 0 ? 0 : values.length / rowElements;
        if (written + newRows > rows) {
            throw new IllegalArgumentException(out.target() + " was declared with " + rows + " rows; appending "
                    + newRows + " after " + written + " would exceed it");
        }
        try {
            for (int start = 0; start < values.length; start += CHUNK_ELEMENTS) {
                int n = Math.min(CHUNK_ELEMENTS, values.length - start);
                chunk.clear();
                chunk.asFloatBuffer().put(values, start, n);
                chunk.limit(4 * n);
                out.write(chunk);
            }
        } catch (IOException e) {
            closed = true;
            out.close();
            throw new PerceptException("cannot write " + out.target() + ": " + e, e);
        }
        written += newRows;
    }

    /** Rows appended so far. */
    public long rowsWritten() {
        return rowElements == 0 ? rows : written;
    }

    /** Publishes the file if every declared row was written; otherwise deletes it and throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (rowsWritten() == rows) {
            out.commit();
        } else {
            out.close();
            if (out.resumable()) {
                throw new PerceptException(out.target() + ": stopped after " + written + " of " + rows
                        + " rows; they are kept in " + out.temp() + " and the same command continues from there");
            }
            throw new PerceptException(out.target() + ": only " + written + " of " + rows + " rows were written; the file was not created");
        }
    }
}
