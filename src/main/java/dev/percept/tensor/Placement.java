package dev.percept.tensor;

import dev.percept.io.MappedFloats;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Where new tensors live and in which type: the one factory for tensors in the project. Whatever
 * meets a model's weights (LoRA branches, heads, probe weights, optimiser moments, targets,
 * labels) is made from the placement of the tensors it meets, so it lands on their device.
 * Random draws come from the CPU generator and are then moved, so a seed gives the same values
 * on every device. Every returned tensor belongs to the innermost open {@code PointerScope}.
 *
 * @param device where the tensors live
 * @param dtype their element type (int64 makers such as {@link #longs} ignore it)
 */
public record Placement(ComputeDevice device, ScalarType dtype) {
    private static final long LOAD_CHUNK_BYTES = 1L << 30;

    /** Float32 on the CPU: data read from files and Java arrays before anything moves it. */
    public static final Placement CPU = new Placement(ComputeDevice.CPU, ScalarType.Float);

    /** The device and element type of an existing tensor: what meets it is made here. */
    public static Placement of(Tensor t) {
        ComputeDevice d = t.is_cuda() ? ComputeDevice.CUDA : t.is_meta() ? ComputeDevice.META : ComputeDevice.CPU;
        return new Placement(d, t.scalar_type().intern()); // the presets return uninterned copies of enum values
    }

    /** The same device in float32: trainable masters and their optimiser moments. */
    public Placement floats() {
        return withType(ScalarType.Float);
    }

    public Placement withType(ScalarType type) {
        return new Placement(device, type);
    }

    public Device torchDevice() {
        return device.torchDevice();
    }

    private TensorOptions options(ScalarType type) {
        return new TensorOptions(type).device(new DeviceOptional(torchDevice()));
    }

    /** {@code t} on this device in this type (itself if it already is). */
    public Tensor move(Tensor t) {
        return t.to(torchDevice(), dtype);
    }

    public Tensor zeros(long... shape) {
        return torch.zeros(shape, options(dtype));
    }

    public Tensor ones(long... shape) {
        return torch.ones(shape, options(dtype));
    }

    /** The n x n identity. */
    public Tensor eye(long n) {
        return torch.eye(n, options(dtype));
    }

    /** N(mean, std^2) draws from the CPU generator. */
    public Tensor normal(double mean, double std, long... shape) {
        return moveFromCpu(torch.randn(shape).mul_(new Scalar(std)).add_(new Scalar(mean)));
    }

    /** U(low, high) draws from the CPU generator. */
    public Tensor uniform(double low, double high, long... shape) {
        Tensor t = torch.zeros(shape, new TensorOptions(ScalarType.Float));
        return moveFromCpu(t.uniform_(low, high, new GeneratorOptional()));
    }

    /** A leaf that records gradients (a trainable parameter) holding {@code values}, contiguous, here. */
    public Tensor parameter(Tensor values) {
        return move(values.detach()).contiguous().requires_grad_(true);
    }

    /** A copy of {@code data} as a tensor of {@code shape}. */
    public Tensor floats(float[] data, long... shape) {
        Tensor t = cpuEmpty(ScalarType.Float, shape);
        t.data_ptr_float().put(data);
        return moveFromCpu(t);
    }

    /** A copy of little-endian raw bytes stored as {@code stored}, converted to this placement. */
    public Tensor fromBytes(ByteBuffer bytes, ScalarType stored, long... shape) {
        Tensor t = cpuEmpty(stored, shape);
        long n = bytes.remaining();
        if (t.nbytes() != n) {
            throw new IllegalArgumentException("byte count " + n + " does not fill a " + stored + " tensor of " + t.nbytes());
        }
        try (BytePointer src = new BytePointer(bytes.slice())) {
            Pointer.memcpy(t.data_ptr(), src, n);
        }
        return moveFromCpu(t);
    }

    /** An int64 tensor of {@code values} (class labels, row indices). */
    public Tensor longs(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        Tensor t = cpuEmpty(ScalarType.Long, l.length);
        new LongPointer(t.data_ptr()).put(l);
        return withType(ScalarType.Long).moveFromCpu(t);
    }

    /** A whole memory-mapped float32 file as one tensor of its shape, read in chunks. */
    public Tensor load(MappedFloats m) {
        return load(m, LOAD_CHUNK_BYTES);
    }

    Tensor load(MappedFloats m, long chunkBytes) {
        Tensor t = cpuEmpty(ScalarType.Float, m.shape());
        long rowBytes = 4 * m.rowElements();
        long perChunk = Math.max(1, chunkBytes / Math.max(1, rowBytes));
        for (long first = 0; first < m.rows(); first += perChunk) {
            long count = Math.min(perChunk, m.rows() - first);
            ByteBuffer bytes = m.rows(first, count);
            try (BytePointer src = new BytePointer(bytes)) {
                Pointer.memcpy(t.data_ptr().position(first * rowBytes), src, count * rowBytes);
            }
        }
        return moveFromCpu(t);
    }

    /** The rows at {@code indices} of a memory-mapped float32 file, as one tensor [len, ...]. */
    public Tensor rows(MappedFloats m, int[] indices) {
        long[] shape = m.shape();
        shape[0] = indices.length;
        Tensor t = cpuEmpty(ScalarType.Float, shape);
        long rowBytes = 4 * m.rowElements();
        for (int k = 0; k < indices.length; k++) {
            try (BytePointer src = new BytePointer(m.rows(indices[k], 1))) {
                Pointer.memcpy(t.data_ptr().position(k * rowBytes), src, rowBytes);
            }
        }
        return moveFromCpu(t);
    }

    private static Tensor cpuEmpty(ScalarType type, long... shape) {
        return torch.empty(shape, new TensorOptions(type), new MemoryFormatOptional());
    }

    /** A CPU tensor made here by filling it from Java; moved unless this placement is CPU of its type. */
    private Tensor moveFromCpu(Tensor cpu) {
        return device == ComputeDevice.CPU && cpu.scalar_type().intern() == dtype ? cpu : move(cpu);
    }
}
