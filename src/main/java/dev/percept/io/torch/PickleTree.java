package dev.percept.io.torch;

import dev.percept.PerceptException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks an unpickled tree before anything walks it: no container may contain itself (a memo
 * reference can make a list hold itself) and nesting is bounded. The walk is iterative, so no
 * input can exhaust the Java stack; shared sub-trees are visited once.
 */
final class PickleTree {
    static final int MAX_DEPTH = 100;

    private PickleTree() {}

    static void check(String source, Object root) {
        Map<Object, Boolean> open = new IdentityHashMap<>(); // true while on the current path, false when done
        Deque<Iterator<Object>> path = new ArrayDeque<>();
        Deque<Object> owners = new ArrayDeque<>();
        enter(source, root, open, path, owners);
        while (!path.isEmpty()) {
            Iterator<Object> children = path.peek();
            if (!children.hasNext()) {
                path.pop();
                open.put(owners.pop(), false);
                continue;
            }
            enter(source, children.next(), open, path, owners);
        }
    }

    private static void enter(String source, Object node, Map<Object, Boolean> open, Deque<Iterator<Object>> path,
            Deque<Object> owners) {
        Collection<Object> children = children(node);
        if (children == null) {
            return;
        }
        Boolean state = open.get(node);
        if (state == Boolean.TRUE) {
            throw new PerceptException(source + ": a " + RestrictedUnpickler.typeName(node)
                    + " contains itself (a recursive structure), which a weights file never needs");
        }
        if (state == Boolean.FALSE) {
            return;
        }
        if (path.size() >= MAX_DEPTH) {
            throw new PerceptException(source + ": values nested deeper than " + MAX_DEPTH + " levels");
        }
        open.put(node, true);
        path.push(children.iterator());
        owners.push(node);
    }

    @SuppressWarnings("unchecked")
    private static Collection<Object> children(Object node) {
        if (node instanceof List<?> list) {
            return (Collection<Object>) list;
        }
        if (node instanceof PickleTuple t) {
            return t.items();
        }
        if (node instanceof Map<?, ?> map) {
            return (Collection<Object>) map.values();
        }
        if (node instanceof Namespace ns) {
            return ns.attributes().values();
        }
        return null;
    }
}
