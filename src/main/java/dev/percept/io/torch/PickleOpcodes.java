package dev.percept.io.torch;

import java.util.Map;

/** Names of pickle opcodes, so a refusal says which one it met. */
final class PickleOpcodes {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry((int) 'I', "INT"), Map.entry((int) 'L', "LONG"), Map.entry((int) 'F', "FLOAT"),
            Map.entry((int) 'S', "STRING"), Map.entry((int) 'T', "BINSTRING"), Map.entry((int) 'V', "UNICODE"),
            Map.entry((int) 'P', "PERSID"), Map.entry((int) 'i', "INST"), Map.entry((int) 'o', "OBJ"),
            Map.entry((int) 'p', "PUT"), Map.entry((int) 'g', "GET"), Map.entry((int) 'l', "LIST"),
            Map.entry((int) 'd', "DICT"), Map.entry((int) '0', "POP"), Map.entry((int) '1', "POP_MARK"),
            Map.entry((int) '2', "DUP"), Map.entry(0x82, "EXT1"), Map.entry(0x83, "EXT2"), Map.entry(0x84, "EXT4"),
            Map.entry(0x8b, "LONG4"), Map.entry(0x8e, "BINBYTES8"), Map.entry(0x8f, "EMPTY_SET"),
            Map.entry(0x90, "ADDITEMS"), Map.entry(0x91, "FROZENSET"), Map.entry(0x92, "NEWOBJ_EX"),
            Map.entry(0x96, "BYTEARRAY8"), Map.entry(0x97, "NEXT_BUFFER"), Map.entry(0x98, "READONLY_BUFFER"));

    private PickleOpcodes() {}

    static String describe(int op) {
        String hex = String.format("0x%02x", op);
        String name = NAMES.get(op);
        return name == null ? hex : name + " (" + hex + ")";
    }
}
