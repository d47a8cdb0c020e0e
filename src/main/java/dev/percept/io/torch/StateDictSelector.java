package dev.percept.io.torch;

import dev.percept.PerceptException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state dict inside a checkpoint's object. Wrappers ({@code state_dict}, {@code model},
 * {@code module}, {@code teacher}, {@code student}) are entered when exactly one is present, or
 * the one {@code --checkpoint-key} names; then key prefixes are removed: {@code module.} when every
 * key has it, {@code module.visual.} (SynCLR; not open_clip, whose layout keeps {@code visual.})
 * and {@code backbone.} (DINO) select the keys under them. Anything ambiguous is an error that
 * lists the candidates.
 */
final class StateDictSelector {
    static final List<String> WRAPPERS = List.of("state_dict", "model", "module", "teacher", "student");
    private static final int MAX_WRAPPERS = 4;

    private StateDictSelector() {}

    /** Tensor name to tensor, from {@code root} and the optional key. */
    static Map<String, TensorRef> select(String source, Object root, String checkpointKey) {
        Object node = root;
        String where = "";
        if (checkpointKey != null) {
            Map<Object, Object> top = dict(source, node, "");
            if (!top.containsKey(checkpointKey)) {
                throw new PerceptException(source + " has no entry '" + checkpointKey + "' (--checkpoint-key); its entries "
                        + "that can hold a state dict are " + dictEntries(top));
            }
            node = top.get(checkpointKey);
            where = "['" + checkpointKey + "']";
        }
        for (int level = 0; ; level++) {
            Map<Object, Object> dict = dict(source, node, where);
            if (dict.values().stream().anyMatch(v -> v instanceof TensorRef)) {
                return stripPrefixes(source + where, tensors(source + where, dict));
            }
            List<String> wrappers = WRAPPERS.stream().filter(w -> dict.get(w) instanceof Map<?, ?>).toList();
            if (wrappers.size() > 1) {
                throw new PerceptException(source + where + " holds several state dicts " + wrappers
                        + "; choose one with --checkpoint-key");
            }
            if (wrappers.isEmpty() || level == MAX_WRAPPERS) {
                throw new PerceptException(source + where + " holds no state dict: no tensors at its top level and no entry "
                        + WRAPPERS + "; its entries that can hold one are " + dictEntries(dict) + " (choose with --checkpoint-key)");
            }
            node = dict.get(wrappers.get(0));
            where += "['" + wrappers.get(0) + "']";
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(String source, Object node, String where) {
        if (node instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new PerceptException(source + where + " is a " + RestrictedUnpickler.typeName(node) + ", not a dict of tensors");
    }

    private static List<String> dictEntries(Map<Object, Object> dict) {
        List<String> out = new ArrayList<>();
        dict.forEach((k, v) -> {
            if (k instanceof String s && v instanceof Map<?, ?>) {
                out.add(s);
            }
        });
        return out;
    }

    /** The tensor entries; other values (a stray int or string beside the weights) are not weights. */
    private static Map<String, TensorRef> tensors(String source, Map<Object, Object> dict) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : dict.entrySet()) {
            if (e.getValue() instanceof TensorRef t) {
                if (!(e.getKey() instanceof String name)) {
                    throw new PerceptException(source + " names a tensor with a " + RestrictedUnpickler.typeName(e.getKey())
                            + " key; state dict keys are strings");
                }
                out.put(name, t);
            }
        }
        return out;
    }

    private static Map<String, TensorRef> stripPrefixes(String source, Map<String, TensorRef> tensors) {
        Map<String, TensorRef> out = tensors;
        if (has(out, "module.visual.") && !out.containsKey("module.visual.conv1.weight")) {
            out = under(source, out, "module.visual.");
        } else if (out.keySet().stream().allMatch(k -> k.startsWith("module."))) {
            out = under(source, out, "module.");
        }
        if (has(out, "backbone.")) {
            out = under(source, out, "backbone.");
        }
        return out;
    }

    private static boolean has(Map<String, TensorRef> tensors, String prefix) {
        return tensors.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** The tensors under {@code prefix}, renamed without it; fails if that would shadow a key outside it. */
    private static Map<String, TensorRef> under(String source, Map<String, TensorRef> tensors, String prefix) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        for (String k : out.keySet()) {
            if (tensors.containsKey(k)) {
                throw new PerceptException(source + " has both " + prefix + k + " and " + k
                        + ": the weights under '" + prefix + "' and those outside it are both candidates; "
                        + "save the one you want on its own");
            }
        }
        return out;
    }
}
