package dev.percept.io.torch;

import dev.percept.PerceptException;
import dev.percept.io.SafetensorsDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter that can only build data: dicts, lists, tuples, numbers, strings, and the
 * few {@link TorchGlobal} symbols a state dict needs (tensors, OrderedDict, torch.Size,
 * argparse.Namespace as an attribute bag). It is modelled on PyTorch's {@code weights_only}
 * unpickler: any other opcode or global is refused, naming it; globals are symbols, so nothing
 * is ever imported, looked up or called. Stack, memo, mark depth and object count are bounded.
 */
final class RestrictedUnpickler {
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 22;
    static final int MAX_MARKS = 1 << 12;
    static final long MAX_OBJECTS = 1L << 24;
    private static final int MAX_GLOBAL_NAME = 512;

    /** A dict made by {@code collections.OrderedDict}: the one kind of dict BUILD may address (its {@code _metadata}). */
    private static final class OrderedDict extends LinkedHashMap<Object, Object> {}

    private final String source;
    private final ByteBuffer in;
    private final boolean legacy;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final List<StorageRef> storages;
    private long objects;
    private int opAt;

    private RestrictedUnpickler(String source, ByteBuffer in, boolean legacy, List<StorageRef> storages) {
        this.source = source;
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.legacy = legacy;
        this.storages = storages;
    }

    /**
     * Reads one pickle from {@code in}'s position up to its STOP (the buffer is left just after
     * it). Every storage a persistent id names is added to {@code storages}.
     *
     * @param source how errors name the pickle ("model.pth (archive/data.pkl)")
     * @param legacy persistent ids carry the legacy format's sixth field (view metadata)
     */
    static Object load(String source, ByteBuffer in, boolean legacy, List<StorageRef> storages) {
        return new RestrictedUnpickler(source, in, legacy, storages).run();
    }

    private Object run() {
        while (true) {
            opAt = in.position();
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) {
                        throw fail("pickle protocol " + protocol + " is not supported");
                    }
                }
                case 0x95 -> skip(8); // FRAME: a length hint, the frame's bytes follow inline
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case '(' -> { // MARK
                    if (marks.size() >= MAX_MARKS) {
                        throw fail("more than " + MAX_MARKS + " nested MARKs");
                    }
                    marks.add(stack.size());
                }
                case ')' -> push(new PickleTuple(List.of()));
                case ']' -> push(new ArrayList<>());
                case '}' -> push(new LinkedHashMap<>());
                case 't' -> push(new PickleTuple(popMark()));
                case 0x85 -> push(new PickleTuple(popN(1)));
                case 0x86 -> push(new PickleTuple(popN(2)));
                case 0x87 -> push(new PickleTuple(popN(3)));
                case 'a' -> { // APPEND
                    Object value = pop();
                    list(peek()).add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> values = popMark();
                    list(peek()).addAll(values);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).put(key(key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of values");
                    }
                    Map<Object, Object> dict = dict(peek());
                    for (int i = 0; i < items.size(); i += 2) {
                        dict.put(key(items.get(i)), items.get(i + 1));
                    }
                }
                case 'c' -> push(global(line(), line()));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    push(call(pop(), args, "REDUCE"));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    push(call(pop(), args, "NEWOBJ"));
                }
                case 'b' -> build(pop(), peek());
                case 'Q' -> push(persistent(pop()));
                case 'q' -> memoize(u8());
                case 'r' -> memoize(Integer.toUnsignedLong(in.getInt(need(4))));
                case 0x94 -> memoize(memo.size());
                case 'h' -> push(recall(u8()));
                case 'j' -> push(recall(Integer.toUnsignedLong(in.getInt(need(4)))));
                case 'J' -> push((long) in.getInt(need(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) Short.toUnsignedInt(in.getShort(need(2))));
                case 0x8a -> push(long1());
                case 'G' -> push(in.order(ByteOrder.BIG_ENDIAN).getDouble(need(8))); // BINFLOAT is big-endian
                case 'X' -> push(utf8(Integer.toUnsignedLong(in.getInt(need(4)))));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(in.getLong(need(8))));
                case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'C' -> push(bytes(u8()));
                case 'B' -> push(bytes(Integer.toUnsignedLong(in.getInt(need(4)))));
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                default -> throw fail("opcode " + PickleOpcodes.describe(op) + " is not allowed in a weights file");
            }
            in.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private TorchGlobal global(String module, String name) {
        return TorchGlobal.find(module, name).orElseThrow(() -> new PerceptException(source + ": refused global " + module
                + "." + name + " (a weights file may only name tensors, storages, dtypes, OrderedDict, torch.Size, "
                + "torch.device and argparse.Namespace; nothing was run)"));
    }

    /** What REDUCE or NEWOBJ of an allowed global builds; every result is plain data. */
    private Object call(Object callable, Object argsObject, String opcode) {
        if (!(callable instanceof TorchGlobal g)) {
            throw fail(opcode + " on " + typeName(callable) + ", which is not an allowed global");
        }
        if (!(argsObject instanceof PickleTuple args)) {
            throw fail(opcode + " of " + g + " with " + typeName(argsObject) + " instead of an argument tuple");
        }
        boolean newobj = opcode.equals("NEWOBJ");
        switch (g.kind()) {
            case ORDERED_DICT -> {
                if (args.size() != 0) {
                    throw fail(g + " with arguments is not supported");
                }
                return new OrderedDict();
            }
            case NAMESPACE -> {
                if (!newobj || args.size() != 0) {
                    throw fail(g + " may only be created empty (NEWOBJ) and filled by BUILD");
                }
                return new Namespace(new LinkedHashMap<>());
            }
            default -> {
                if (newobj) {
                    throw fail("NEWOBJ of " + g + " is not allowed");
                }
            }
        }
        return switch (g.kind()) {
            case REBUILD_TENSOR_V2 -> tensor(g, args, 6, null);
            case REBUILD_TENSOR_V3 -> {
                Object dtype = args.size() > 6 ? args.get(6) : null;
                if (!(dtype instanceof TorchGlobal d) || d.kind() != TorchGlobal.Kind.DTYPE) {
                    throw fail(g + " needs a torch dtype as its 7th argument");
                }
                yield tensor(g, args, 7, d.dtype());
            }
            case REBUILD_PARAMETER -> {
                if (args.size() < 3 || !(args.get(0) instanceof TensorRef t)) {
                    throw fail(g + " needs a tensor as its first argument");
                }
                yield t;
            }
            case SIZE -> {
                if (args.size() != 1 || !(args.get(0) instanceof PickleTuple dims)) {
                    throw fail(g + " needs one tuple argument");
                }
                longs(dims, "torch.Size");
                yield dims;
            }
            case DEVICE -> {
                if (args.size() < 1 || args.size() > 2 || !(args.get(0) instanceof String type)) {
                    throw fail(g + " needs a device type string");
                }
                yield args.size() == 2 ? type + ":" + args.get(1) : type;
            }
            default -> throw fail("global " + g + " cannot be called");
        };
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}, or v3 with a dtype. */
    private TensorRef tensor(TorchGlobal g, PickleTuple args, int required, SafetensorsDtype dtype) {
        if (args.size() < required || args.size() > required + 1) {
            throw fail(g + " with " + args.size() + " arguments");
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw fail(g + " needs a storage (persistent id) as its first argument, got " + typeName(args.get(0)));
        }
        if (!(args.get(1) instanceof Long offset) || !(args.get(2) instanceof PickleTuple size)
                || !(args.get(3) instanceof PickleTuple stride)) {
            throw fail(g + " needs (storage, int offset, size tuple, stride tuple, ...)");
        }
        SafetensorsDtype type = dtype != null ? dtype : storage.dtype();
        if (type == null) {
            throw fail(g + " on an untyped storage needs a dtype (_rebuild_tensor_v3)");
        }
        return new TensorRef(storage, type, offset, longs(size, "tensor size"), longs(stride, "tensor stride"));
    }

    private StorageRef persistent(Object pid) {
        if (!(pid instanceof PickleTuple t) || t.size() != (legacy ? 6 : 5) || !"storage".equals(t.get(0))) {
            throw fail("persistent id must be ('storage', class, key, location, numel" + (legacy ? ", view" : "") + ")");
        }
        if (!(t.get(1) instanceof TorchGlobal cls)
                || (cls.kind() != TorchGlobal.Kind.STORAGE_CLASS && cls.kind() != TorchGlobal.Kind.UNTYPED_STORAGE)) {
            throw fail("persistent id names " + typeName(t.get(1)) + " where a storage class belongs");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw fail("persistent id needs a string key, a string location and a non-negative element count");
        }
        if (legacy && t.get(5) != null) {
            throw fail("storage " + key + " is a view of another storage (pre-0.4 format), which is not supported");
        }
        StorageRef ref = new StorageRef(key, cls.dtype(), numel);
        try {
            ref.declaredBytes();
        } catch (ArithmeticException e) {
            throw fail("storage " + key + " declares " + numel + " elements, which overflows");
        }
        storages.add(ref);
        return ref;
    }

    private void build(Object state, Object target) {
        if (target instanceof TensorRef || target instanceof OrderedDict) {
            return; // a tensor's or OrderedDict's Python attributes (_metadata, hooks): kept out of the weights
        }
        if (target instanceof Namespace ns) {
            if (!(state instanceof LinkedHashMap<?, ?> attributes)) {
                throw fail("BUILD of argparse.Namespace needs a dict of attributes");
            }
            for (Map.Entry<?, ?> e : attributes.entrySet()) {
                if (!(e.getKey() instanceof String name)) {
                    throw fail("argparse.Namespace attribute names must be strings");
                }
                ns.attributes().put(name, e.getValue());
            }
            return;
        }
        throw fail("BUILD on " + typeName(target) + " is not allowed (only tensors, OrderedDict and argparse.Namespace)");
    }

    private long[] longs(PickleTuple t, String what) {
        if (t.size() > 64) {
            throw fail(what + " has " + t.size() + " dimensions");
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v)) {
                throw fail(what + " holds " + typeName(t.get(i)) + ", not an integer");
            }
            out[i] = v;
        }
        return out;
    }

    /** Dict keys must be plain immutable values: deep or self-referencing keys could not be hashed safely. */
    private Object key(Object key) {
        if (key == null || key instanceof String || key instanceof Long || key instanceof Double || key instanceof Boolean) {
            return key;
        }
        throw fail("dict key of type " + typeName(key) + " is not allowed");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail("APPEND to " + typeName(o) + " (only lists)");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail("SETITEM on " + typeName(o) + " (only dicts)");
    }

    private void memoize(long index) {
        if (stack.isEmpty()) {
            throw fail("memo store on an empty stack");
        }
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw fail("more than " + MAX_MEMO + " memo entries");
        }
        memo.put(index, peek());
    }

    private Object recall(long index) {
        if (!memo.containsKey(index)) {
            throw fail("memo entry " + index + " is read before it is written");
        }
        return memo.get(index);
    }

    private long long1() {
        int n = u8();
        if (n > 8) {
            throw fail("integer of " + n + " bytes is wider than 64 bits");
        }
        int at = need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (in.get(at + i) & 0xFF);
        }
        if (n > 0 && n < 8 && (in.get(at + n - 1) & 0x80) != 0) {
            v |= -1L << (8 * n); // sign-extend
        }
        return v;
    }

    private String line() {
        int start = in.position();
        int end = start;
        while (true) {
            if (end >= in.limit()) {
                throw fail("GLOBAL runs past the end of the pickle");
            }
            if (in.get(end) == '\n') {
                break;
            }
            if (end - start >= MAX_GLOBAL_NAME) {
                throw fail("GLOBAL name longer than " + MAX_GLOBAL_NAME + " bytes");
            }
            end++;
        }
        byte[] b = new byte[end - start];
        in.get(start, b);
        in.position(end + 1);
        return new String(b, StandardCharsets.UTF_8);
    }

    private String utf8(long length) {
        return new String(bytes(length), StandardCharsets.UTF_8);
    }

    private byte[] bytes(long length) {
        if (length < 0 || length > in.remaining()) {
            throw fail("a string of " + Long.toUnsignedString(length) + " bytes runs past the end of the pickle");
        }
        byte[] b = new byte[(int) length];
        in.get(b);
        return b;
    }

    private int u8() {
        return in.get(need(1)) & 0xFF;
    }

    private void skip(int n) {
        need(n);
    }

    /** Claims the next {@code n} bytes and returns where they start; fails if the pickle ends first. */
    private int need(int n) {
        int at = in.position();
        if (n > in.limit() - at) {
            throw fail("the pickle ends in the middle of an opcode (truncated)");
        }
        in.position(at + n);
        return at;
    }

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw fail("pickle stack deeper than " + MAX_STACK);
        }
        if (++objects > MAX_OBJECTS) {
            throw fail("more than " + MAX_OBJECTS + " values");
        }
        stack.add(o);
    }

    private Object pop() {
        Object top = peek();
        stack.remove(stack.size() - 1);
        return top;
    }

    /** The top of the stack; values below the innermost MARK are out of reach, as in Python's unpickler. */
    private Object peek() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(0, pop());
        }
        return out;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw fail("no MARK to pop to");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> tail = stack.subList(mark, stack.size());
        List<Object> out = new ArrayList<>(tail);
        tail.clear();
        return out;
    }

    static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof TorchGlobal g) {
            return g.qualifiedName();
        }
        if (o instanceof OrderedDict) {
            return "collections.OrderedDict";
        }
        if (o instanceof LinkedHashMap<?, ?>) {
            return "dict";
        }
        if (o instanceof ArrayList<?>) {
            return "list";
        }
        if (o instanceof PickleTuple) {
            return "tuple";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof Long) {
            return "int";
        }
        if (o instanceof Double) {
            return "float";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        if (o instanceof TensorRef) {
            return "tensor";
        }
        if (o instanceof StorageRef) {
            return "storage";
        }
        if (o instanceof Namespace) {
            return "argparse.Namespace";
        }
        return o.getClass().getSimpleName();
    }

    private PerceptException fail(String what) {
        return new PerceptException(source + ": pickle byte " + opAt + ": " + what);
    }
}
