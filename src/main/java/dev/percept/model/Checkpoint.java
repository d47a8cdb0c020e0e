package dev.percept.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A model folder on disk: its JSON configs and the tensors of its safetensors file(s), read lazily
 * by name. Sharded checkpoints ({@code *.safetensors.index.json}) are one checkpoint. Pickle
 * files are never opened. The files are memory-mapped and released by the garbage collector.
 */
public final class Checkpoint {
    /** Weight files in order of preference when a folder has several formats side by side. */
    private static final List<String> WEIGHT_FILES = List.of("model.safetensors", "open_clip_model.safetensors");

    private final Path folder;
    private final List<Safetensors> files;
    private final Map<String, Safetensors> owner = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private Checkpoint(Path folder, List<Safetensors> files) {
        this.folder = folder;
        this.files = files;
        for (Safetensors f : files) {
            for (SafetensorsTensor e : f.tensors()) {
                if (owner.putIfAbsent(e.name(), f) != null) {
                    throw new PerceptException("tensor " + e.name() + " appears in two files of " + folder);
                }
                shapes.put(e.name(), e.shape());
            }
        }
    }

    /** Opens the weights of a model folder (or a single .safetensors file). */
    public static Checkpoint open(Path path) {
        if (!Files.exists(path)) {
            throw new PerceptException("model folder " + path + " does not exist");
        }
        if (Files.isRegularFile(path)) {
            return new Checkpoint(path.getParent() == null ? Path.of(".") : path.getParent(), List.of(Safetensors.read(path)));
        }
        List<Path> weightFiles = weightFiles(path);
        List<Safetensors> opened = new ArrayList<>();
        for (Path p : weightFiles) {
            opened.add(Safetensors.read(p));
        }
        return new Checkpoint(path, opened);
    }

    private static List<Path> weightFiles(Path folder) {
        try {
            for (String name : WEIGHT_FILES) {
                if (Files.isRegularFile(folder.resolve(name))) {
                    return List.of(folder.resolve(name));
                }
            }
            List<Path> all;
            try (Stream<Path> s = Files.list(folder)) {
                all = s.sorted().toList();
            }
            for (Path p : all) {
                if (p.getFileName().toString().endsWith(".safetensors.index.json")) {
                    TreeSet<String> shards = new TreeSet<>();
                    JsonFiles.readObject(p).path("weight_map").forEach(n -> shards.add(n.asText()));
                    if (shards.isEmpty()) {
                        throw new PerceptException(p + " has no weight_map entries");
                    }
                    return shards.stream().map(folder::resolve).toList();
                }
            }
            List<Path> safetensors = all.stream()
                    .filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .toList();
            if (safetensors.size() == 1) {
                return safetensors;
            }
            if (safetensors.size() > 1) {
                throw new PerceptException("model folder " + folder + " has several .safetensors files and no index: "
                        + safetensors.stream().map(p -> p.getFileName().toString()).toList());
            }
            boolean pickle = all.stream().map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth"));
            throw new PerceptException("model folder " + folder + " has no .safetensors weights"
                    + (pickle ? " (it has pickle weights, which percept never loads: convert them with "
                            + "safetensors.torch.save_file in Python)" : ""));
        } catch (IOException e) {
            throw new PerceptException("cannot read model folder " + folder + ": " + e.getMessage(), e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** Every tensor name with its shape, in file order. */
    public Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    public boolean has(String key) {
        return shapes.containsKey(key);
    }

    /** The shape of a tensor that must exist. */
    public long[] shape(String key) {
        long[] s = shapes.get(key);
        if (s == null) {
            throw new PerceptException("checkpoint " + describe() + " has no tensor " + key);
        }
        return s;
    }

    /** The tensor as a float32 CPU tensor (F32, F16 and BF16 are accepted). */
    public Tensor load(String key) {
        Safetensors file = owner.get(key);
        if (file == null) {
            throw new PerceptException("checkpoint " + describe() + " has no tensor " + key);
        }
        SafetensorsTensor e = file.tensor(key);
        ScalarType stored = switch (e.dtype()) {
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            default -> throw new PerceptException("tensor " + key + " in " + file.file()
                    + " has dtype " + e.dtype() + "; model weights must be F32, F16 or BF16");
        };
        Tensor raw = Tensors.fromBytes(e.data(), stored, e.shape());
        if (stored == ScalarType.Float) {
            return raw;
        }
        Tensor f = raw.to(ScalarType.Float);
        raw.close();
        return f;
    }

    /** A JSON file of the folder, or null if absent. */
    public JsonNode json(String fileName) {
        Path p = folder.resolve(fileName);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        return JsonFiles.readObject(p);
    }

    /** The weight file name a single-file copy of this checkpoint takes. */
    public String weightFileName() {
        return files.size() == 1 ? files.get(0).file().getFileName().toString() : "model.safetensors";
    }

    /** How error messages name this checkpoint. */
    public String describe() {
        return files.size() == 1 ? files.get(0).file().toString() : folder.toString();
    }
}
