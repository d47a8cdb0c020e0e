package dev.percept.embed;

import dev.percept.PerceptException;
import dev.percept.hub.DreamSimRelease;
import dev.percept.hub.DreamSimStore;
import dev.percept.hub.KnownModel;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.image.Preprocessing;
import dev.percept.model.Backbone;
import dev.percept.model.Checkpoint;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.LoraAdapter;
import dev.percept.model.Member;
import dev.percept.model.MlpHead;
import dev.percept.model.ModelLoader;
import dev.percept.model.VitConfig.Activation;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What a user asked for with {@code --model} and its companion options, resolved into loaded
 * {@link Member}s. {@code spec} is a folder, a known name, or a comma-separated list of either (an
 * ensemble; the known name {@code ensemble} expands to DreamSim's members).
 *
 * @param features null for each member's default (embedding with a projection, else cls)
 * @param imageSize 0 to keep the model folder's size
 * @param preprocess DreamSim's squash, or upstream's resize and centre-crop
 * @param activation null to keep the checkpoint's (or the known name's)
 * @param adapters PEFT LoRA adapters merged into the members' weights: none, or one per member
 * @param checkpointKey the entry of a PyTorch checkpoint holding the weights, or null to find it
 * @param head null, or an MLP head folder ({@code percept align --train mlp_head}) applied to the
 *     feature of a single model
 *
 * <p>This is the one place that opens models for evaluation: every evaluation gets its features
 * from a {@code FeatureSource} over a request, whose cache key covers every field here.
 */
public record ModelRequest(
        String spec,
        FeatureMode features,
        Precision precision,
        ComputeDevice device,
        int imageSize,
        PreprocessMode preprocess,
        Activation activation,
        List<Path> adapters,
        String checkpointKey,
        Path head) {

    public ModelRequest {
        adapters = List.copyOf(adapters);
    }

    /** {@code spec} with the defaults of the command line: its own features, auto precision, CPU, no adapter or head. */
    public static ModelRequest of(String spec) {
        return new ModelRequest(spec, null, Precision.AUTO, ComputeDevice.CPU, 0, PreprocessMode.DREAMSIM, null, List.of(), null, null);
    }

    public ModelRequest withFeatures(FeatureMode f) {
        return new ModelRequest(spec, f, precision, device, imageSize, preprocess, activation, adapters, checkpointKey, head);
    }

    public ModelRequest withAdapters(List<Path> a) {
        return new ModelRequest(spec, features, precision, device, imageSize, preprocess, activation, a, checkpointKey, head);
    }

    public ModelRequest withHead(Path h) {
        return new ModelRequest(spec, features, precision, device, imageSize, preprocess, activation, adapters, checkpointKey, h);
    }

    /** Loads every member, with the head if there is one; on failure, closes what was already loaded. */
    public List<Member> open(ModelStore store) {
        KnownModels known = store.known();
        KnownModel dreamsim = dreamsim(spec, known);
        if (dreamsim != null) {
            return openDreamSim(store, dreamsim);
        }
        List<String> names = memberNames(spec, known);
        List<Path> adapters = adapters().size() == 1 && names.size() > 1 ? memberAdapters(adapters().get(0)) : adapters();
        if (!adapters.isEmpty() && adapters.size() != names.size()) {
            throw new PerceptException("--adapter lists " + adapters.size() + " adapter(s) for " + names.size()
                    + " model(s) " + names + "; give one per model, comma-separated");
        }
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Activation act = activation != null ? activation : knownActivation(name, known);
                Path folder = store.resolve(name);
                Path adapter = adapters.isEmpty() ? null : adapters.get(i);
                Backbone backbone = ModelLoader.load(Checkpoint.open(folder, checkpointKey), adapter, act, precision, device);
                members.add(new Member(backbone, preprocessing(backbone), features != null ? features : backbone.defaultFeatures()));
            }
            if (head != null) {
                if (members.size() != 1) {
                    throw new PerceptException("--head applies to one model, not to an ensemble of " + members.size());
                }
                Member m = members.get(0);
                m.backbone().attachHead(MlpHead.read(head, m.backbone().placement()), m.features());
            }
            return members;
        } catch (RuntimeException e) {
            members.forEach(m -> m.backbone().close());
            throw e;
        }
    }

    /**
     * One of DreamSim's released checkpoints, as its code builds it: each backbone from its released
     * file, with member i's LoRA modules ({@code extractor_list.<i>}) merged, and DreamSim's feature
     * for it (cls, embedding, or the patch model's).
     */
    private List<Member> openDreamSim(ModelStore store, KnownModel model) {
        if (!adapters.isEmpty()) {
            throw new PerceptException(model.name() + " carries DreamSim's own LoRA adapter; --adapter does not apply");
        }
        if (checkpointKey != null || head != null) {
            throw new PerceptException(model.name() + " is DreamSim's released model, read as DreamSim does; "
                    + (head != null ? "--head" : "--checkpoint-key") + " does not apply");
        }
        DreamSimStore.ReleaseFiles files = store.dreamsimFiles(model.name());
        DreamSimRelease release = files.release();
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < release.members().size(); i++) {
                DreamSimRelease.Member m = release.members().get(i);
                Activation act = activation != null ? activation : parseActivation(m.activation());
                Backbone backbone = ModelLoader.load(Checkpoint.open(files.weights().get(i)),
                        LoraAdapter.read(files.adapter(), i), act, precision, device);
                FeatureMode mode = features != null ? features
                        : release.patch() ? FeatureMode.DREAMSIM_PATCH : FeatureMode.parse(m.features());
                members.add(new Member(backbone, preprocessing(backbone), mode));
            }
            return members;
        } catch (RuntimeException e) {
            members.forEach(m -> m.backbone().close());
            throw e;
        }
    }

    /**
     * The normalisation a model spec asks for when the user names none: DreamSim's (centre, then
     * unit length) for DreamSim's image-level models, whose released metric does it; none otherwise
     * (the patch model normalises each token instead).
     */
    public static FeatureNorm defaultNorm(String spec, KnownModels known) {
        KnownModel dreamsim = dreamsim(spec, known);
        return dreamsim != null && !dreamsim.dreamsim().patch() ? FeatureNorm.DREAMSIM : FeatureNorm.NONE;
    }

    /** The DreamSim release a spec names, or null; a DreamSim name in a list is refused. */
    private static KnownModel dreamsim(String spec, KnownModels known) {
        List<String> parts = Arrays.stream(spec.split(",")).map(String::strip).toList();
        for (String part : parts) {
            KnownModel k = Files.isDirectory(Path.of(part)) ? null : known.find(part).orElse(null);
            if (k != null && k.isDreamSim()) {
                if (parts.size() > 1) {
                    throw new PerceptException(part + " is a whole DreamSim model; it cannot be one entry of --model '"
                            + spec + "'");
                }
                return k;
            }
        }
        return null;
    }

    /**
     * An ensemble's adapters from one folder, as {@code percept align} writes them: one subfolder
     * per member, named {@code <index>-<name>}, in member order. A folder that is itself an
     * adapter stays a single adapter (and is then refused for an ensemble).
     */
    private static List<Path> memberAdapters(Path folder) {
        if (Files.isRegularFile(folder.resolve("adapter_config.json")) || !Files.isDirectory(folder)) {
            return List.of(folder);
        }
        try (var children = Files.list(folder)) {
            List<Path> members = children.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d+-.*"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().split("-", 2)[0])))
                    .toList();
            return members.isEmpty() ? List.of(folder) : members;
        } catch (IOException e) {
            throw new PerceptException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The folder of each member, in order, without loading anything (a DreamSim model: its adapter and backbone folders). */
    public List<Path> folders(ModelStore store) {
        KnownModel dreamsim = dreamsim(spec, store.known());
        if (dreamsim != null) {
            DreamSimStore.ReleaseFiles files = store.dreamsimFiles(dreamsim.name());
            List<Path> folders = new ArrayList<>(List.of(files.adapter()));
            files.weights().stream().map(Path::getParent).distinct().forEach(folders::add);
            return folders;
        }
        return memberNames(spec, store.known()).stream().map(store::resolve).toList();
    }

    private Preprocessing preprocessing(Backbone backbone) {
        return backbone.input().preprocessing(preprocess == PreprocessMode.UPSTREAM, imageSize);
    }

    /** The members a spec names: its comma-separated parts, with known ensembles expanded. */
    public static List<String> memberNames(String spec, KnownModels known) {
        List<String> names = new ArrayList<>();
        for (String part : spec.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new PerceptException("--model '" + spec + "' has an empty entry");
            }
            KnownModel k = Files.isDirectory(Path.of(name)) ? null : known.find(name).orElse(null);
            names.addAll(k != null && k.isEnsemble() ? k.members() : List.of(name));
        }
        return names;
    }

    private static Activation knownActivation(String name, KnownModels known) {
        if (Files.isDirectory(Path.of(name))) {
            return null;
        }
        return known.find(name)
                .map(KnownModel::activation)
                .map(a -> a.equals(KnownModel.QUICK_GELU) ? Activation.QUICK_GELU : Activation.GELU)
                .orElse(null);
    }

    /** Parses an --activation value. */
    public static Activation parseActivation(String s) {
        return switch (s) {
            case "gelu" -> Activation.GELU;
            case "quick_gelu" -> Activation.QUICK_GELU;
            default -> throw new PerceptException("--activation must be gelu or quick_gelu, not " + s);
        };
    }

}
