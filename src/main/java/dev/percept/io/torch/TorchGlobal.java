package dev.percept.io.torch;

import dev.percept.io.SafetensorsDtype;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The only globals a checkpoint pickle may name, as in PyTorch's {@code weights_only} unpickler:
 * symbols the interpreter recognises, never Python objects looked up or called. Each has a
 * {@link Kind} that says what REDUCE, NEWOBJ and BUILD may do with it.
 */
record TorchGlobal(String module, String name, Kind kind, SafetensorsDtype dtype) {
    enum Kind {
        ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_TENSOR_V3, REBUILD_PARAMETER, STORAGE_CLASS, UNTYPED_STORAGE, DTYPE,
        SIZE, DEVICE, NAMESPACE
    }

    private static final Map<String, TorchGlobal> ALLOWED = new HashMap<>();

    static {
        add("collections", "OrderedDict", Kind.ORDERED_DICT, null);
        add("torch._utils", "_rebuild_tensor_v2", Kind.REBUILD_TENSOR_V2, null);
        add("torch._utils", "_rebuild_tensor_v3", Kind.REBUILD_TENSOR_V3, null);
        add("torch._utils", "_rebuild_parameter", Kind.REBUILD_PARAMETER, null);
        add("torch._utils", "_rebuild_parameter_with_state", Kind.REBUILD_PARAMETER, null);
        add("torch", "Size", Kind.SIZE, null);
        add("torch", "device", Kind.DEVICE, null);
        add("argparse", "Namespace", Kind.NAMESPACE, null);
        add("torch", "UntypedStorage", Kind.UNTYPED_STORAGE, null);
        storage("FloatStorage", SafetensorsDtype.F32);
        storage("HalfStorage", SafetensorsDtype.F16);
        storage("BFloat16Storage", SafetensorsDtype.BF16);
        storage("DoubleStorage", SafetensorsDtype.F64);
        storage("LongStorage", SafetensorsDtype.I64);
        storage("IntStorage", SafetensorsDtype.I32);
        storage("ShortStorage", SafetensorsDtype.I16);
        storage("CharStorage", SafetensorsDtype.I8);
        storage("ByteStorage", SafetensorsDtype.U8);
        storage("BoolStorage", SafetensorsDtype.BOOL);
        dtype(SafetensorsDtype.F32, "float32", "float");
        dtype(SafetensorsDtype.F16, "float16", "half");
        dtype(SafetensorsDtype.BF16, "bfloat16");
        dtype(SafetensorsDtype.F64, "float64", "double");
        dtype(SafetensorsDtype.I64, "int64", "long");
        dtype(SafetensorsDtype.I32, "int32", "int");
        dtype(SafetensorsDtype.I16, "int16", "short");
        dtype(SafetensorsDtype.I8, "int8");
        dtype(SafetensorsDtype.U8, "uint8");
        dtype(SafetensorsDtype.BOOL, "bool");
        dtype(SafetensorsDtype.U16, "uint16");
        dtype(SafetensorsDtype.U32, "uint32");
        dtype(SafetensorsDtype.U64, "uint64");
        dtype(SafetensorsDtype.F8_E4M3, "float8_e4m3fn");
        dtype(SafetensorsDtype.F8_E5M2, "float8_e5m2");
    }

    private static void add(String module, String name, Kind kind, SafetensorsDtype dtype) {
        ALLOWED.put(module + "." + name, new TorchGlobal(module, name, kind, dtype));
    }

    private static void storage(String name, SafetensorsDtype dtype) {
        add("torch", name, Kind.STORAGE_CLASS, dtype);
    }

    private static void dtype(SafetensorsDtype dtype, String... names) {
        for (String name : names) {
            add("torch", name, Kind.DTYPE, dtype);
        }
    }

    /** The allowed global of that name, if it is one. */
    static Optional<TorchGlobal> find(String module, String name) {
        return Optional.ofNullable(ALLOWED.get(module + "." + name));
    }

    String qualifiedName() {
        return module + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
