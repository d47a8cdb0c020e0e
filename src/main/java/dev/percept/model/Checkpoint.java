package dev.percept.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.percept.PerceptException;
import dev.percept.io.JsonFiles;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsTensor;
import dev.percept.io.StoredTensor;
import dev.percept.io.torch.TorchFile;
import dev.percept.tensor.Placement;
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
 * A model's weights and JSON configs: a folder, or a single weights file whose folder holds the
 * configs. Weights come from safetensors files or PyTorch checkpoints (read as data by {@link
 * TorchFile}, nothing executed), sharded or not, and are read lazily by name as {@link
 * StoredTensor} views of memory-mapped files, so the layouts see no difference between formats.
 * When a folder has both, safetensors wins.
 */
public final class Checkpoint {
    /** Weight files in order of preference when a folder has several side by side. */
    private static final List<String> SAFETENSORS_FILES = List.of("model.safetensors", "open_clip_model.safetensors");
    private static final List<String> TORCH_FILES = List.of("pytorch_model.bin", "open_clip_pytorch_model.bin");
    private static final List<String> TORCH_SUFFIXES = List.of(".pth", ".pth.tar", ".pt", ".bin");

    private final Path source;
    private final Path folder;
    private final List<Path> files;
    private final Map<String, StoredTensor> tensors;

    private Checkpoint(Path source, Path folder, List<Path> files, Map<String, StoredTensor> tensors) {
        this.source = source;
        this.folder = folder;
        this.files = files;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Opens the weights of a model folder or a single weights file. */
    public static Checkpoint open(Path path) {
        return open(path, null);
    }

    /**
     * @param checkpointKey the entry of a PyTorch checkpoint that holds the weights
     *     ({@code --checkpoint-key}), or null to find it
     */
    public static Checkpoint open(Path path, String checkpointKey) {
        if (!Files.exists(path)) {
            throw new PerceptException("model " + path + " does not exist");
        }
        boolean single = Files.isRegularFile(path);
        Path folder = single ? parent(path) : path;
        List<Path> files = single ? filesOf(path) : weightFiles(path);
        boolean torch = files.stream().anyMatch(Checkpoint::isTorchFile);
        if (checkpointKey != null && !torch) {
            throw new PerceptException("--checkpoint-key " + checkpointKey + " applies to PyTorch checkpoints, and "
                    + (files.size() == 1 ? files.get(0) : folder) + " is safetensors");
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Path file : files) {
            for (StoredTensor t : tensors(file, checkpointKey)) {
                if (tensors.putIfAbsent(t.name(), t) != null) {
                    throw new PerceptException("tensor " + t.name() + " appears in two files of " + folder);
                }
            }
        }
        return new Checkpoint(path, folder, files, tensors);
    }

    /** The tensors of one weights file, safetensors or PyTorch. */
    static List<StoredTensor> tensors(Path file, String checkpointKey) {
        if (isTorchFile(file)) {
            return List.copyOf(TorchFile.read(file).stateDict(checkpointKey).values());
        }
        List<StoredTensor> out = new ArrayList<>();
        for (SafetensorsTensor t : Safetensors.read(file).tensors()) {
            out.add(StoredTensor.contiguous(file, t.name(), t.dtype(), t.shape(), t.data()));
        }
        return out;
    }

    static boolean isTorchFile(Path file) {
        String name = file.getFileName().toString();
        return TORCH_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /** A file named on the command line: a weights file, or a shard index. */
    private static List<Path> filesOf(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".safetensors.index.json") || name.endsWith(".bin.index.json")) {
            return shards(file, parent(file));
        }
        if (name.endsWith(".safetensors") || isTorchFile(file)) {
            return List.of(file);
        }
        throw new PerceptException("model file " + file + " is not a weights file (.safetensors, " + String.join(", ", TORCH_SUFFIXES)
                + ", or a *.index.json of shards)");
    }

    private static Path parent(Path file) {
        return file.getParent() == null ? Path.of(".") : file.getParent();
    }

    private static List<Path> weightFiles(Path folder) {
        try {
            for (String name : SAFETENSORS_FILES) {
                if (Files.isRegularFile(folder.resolve(name))) {
                    return List.of(folder.resolve(name));
                }
            }
            List<Path> all;
            try (Stream<Path> s = Files.list(folder)) {
                all = s.filter(Files::isRegularFile).sorted().toList();
            }
            Path index = only(folder, all, ".safetensors.index.json");
            if (index != null) {
                return shards(index, folder);
            }
            Path safetensors = only(folder, all, ".safetensors");
            if (safetensors != null) {
                return List.of(safetensors);
            }
            for (String name : TORCH_FILES) {
                if (Files.isRegularFile(folder.resolve(name))) {
                    return List.of(folder.resolve(name));
                }
            }
            index = only(folder, all, ".bin.index.json");
            if (index != null) {
                return shards(index, folder);
            }
            List<Path> torch = all.stream().filter(Checkpoint::isTorchFile).toList();
            if (torch.size() == 1) {
                return torch;
            }
            if (torch.size() > 1) {
                throw new PerceptException("model folder " + folder + " has several PyTorch files and no index: "
                        + names(torch) + "; give one of them as --model");
            }
            throw new PerceptException("model folder " + folder + " has no weights (.safetensors, "
                    + String.join(", ", TORCH_SUFFIXES) + ")");
        } catch (IOException e) {
            throw new PerceptException("cannot read model folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The one file of {@code all} ending in {@code suffix}, null if none; several are an error. */
    private static Path only(Path folder, List<Path> all, String suffix) {
        List<Path> matching = all.stream().filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        if (matching.size() > 1) {
            throw new PerceptException("model folder " + folder + " has several " + suffix + " files: " + names(matching)
                    + "; give one of them as --model");
        }
        return matching.isEmpty() ? null : matching.get(0);
    }

    private static List<Path> shards(Path index, Path folder) {
        TreeSet<String> shards = new TreeSet<>();
        JsonFiles.readObject(index).path("weight_map").forEach(n -> shards.add(n.asText()));
        if (shards.isEmpty()) {
            throw new PerceptException(index + " has no weight_map entries");
        }
        List<Path> files = new ArrayList<>();
        for (String shard : shards) {
            Path file = folder.resolve(shard).normalize();
            if (!file.startsWith(folder.normalize()) || !Files.isRegularFile(file)) {
                throw new PerceptException(index + " names shard " + shard + ", which is not a file in " + folder);
            }
            files.add(file);
        }
        return files;
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    /** The folder or file this checkpoint was opened from. */
    public Path source() {
        return source;
    }

    /** The folder of the JSON configs (a single file's own folder). */
    public Path folder() {
        return folder;
    }

    /** Every tensor name with its shape, in file order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, t.shape()));
        return out;
    }

    /** Every tensor as stored, in file order. */
    public Map<String, StoredTensor> tensors() {
        return tensors;
    }

    public boolean has(String key) {
        return tensors.containsKey(key);
    }

    /** The shape of a tensor that must exist. */
    public long[] shape(String key) {
        return stored(key).shape();
    }

    /** The stored tensor (dtype, shape, strides and bytes) of a tensor that must exist. */
    public StoredTensor stored(String key) {
        StoredTensor t = tensors.get(key);
        if (t == null) {
            throw new PerceptException("checkpoint " + describe() + " has no tensor " + key);
        }
        return t;
    }

    /** The tensor as a contiguous float32 CPU tensor (F32, F16 and BF16 are accepted, any strides). */
    public Tensor load(String key) {
        StoredTensor t = stored(key);
        t.requireWeightDtype();
        if (!t.isContiguous()) {
            return Placement.CPU.floats(t.toFloats(), t.shape());
        }
        ScalarType stored = switch (t.dtype()) {
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            default -> ScalarType.Float;
        };
        Tensor raw = Placement.CPU.fromBytes(t.contiguousBytes(), stored, t.shape());
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

    /** The safetensors file name a single-file copy of this checkpoint takes. */
    public String weightFileName() {
        String name = files.size() == 1 ? files.get(0).getFileName().toString() : "";
        if (name.endsWith(".safetensors")) {
            return name;
        }
        return name.startsWith("open_clip") ? "open_clip_model.safetensors" : "model.safetensors";
    }

    /** How error messages name this checkpoint. */
    public String describe() {
        return files.size() == 1 ? files.get(0).toString() : folder.toString();
    }
}
