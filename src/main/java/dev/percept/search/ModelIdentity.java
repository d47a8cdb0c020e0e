package dev.percept.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.percept.PerceptException;
import dev.percept.embed.ModelRequest;
import dev.percept.embed.PreprocessMode;
import dev.percept.hub.ModelStore;
import dev.percept.io.JsonFiles;
import dev.percept.io.Sha256;
import dev.percept.model.FeatureMode;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which model made an index's vectors, recorded in the index so that a later run can refuse
 * vectors from another model and a query can be embedded by the same one.
 *
 * @param spec the --model value with every folder or file made absolute (known names stay names)
 * @param weightsSha256 SHA-256 over the files of every member's folder (names and bytes)
 * @param adapters absolute adapter folders, empty for none
 * @param adaptersSha256 SHA-256 over the adapters' files, empty for none
 * @param features the requested feature mode, or "default" for each member's own
 * @param memberFeatures the feature mode each member actually used, comma-separated
 * @param normalization "dreamsim" or "l2": both leave unit vectors, so 1 - cos is the distance
 * @param precision the precision vectors were computed in (not compared: bf16 and fp32 agree to 1e-4)
 * @param activation "" to keep the checkpoint's
 * @param checkpointKey "" to let the loader find the weights in a PyTorch checkpoint
 * @param head an MLP head folder applied to the feature (absolute), "" for none
 * @param headSha256 SHA-256 over the head's files, "" for none
 */
public record ModelIdentity(
        String spec,
        String weightsSha256,
        List<String> adapters,
        String adaptersSha256,
        String features,
        String memberFeatures,
        String normalization,
        String precision,
        int imageSize,
        String preprocess,
        String activation,
        String checkpointKey,
        String head,
        String headSha256,
        int dimension) {

    private static final ObjectMapper JSON = JsonFiles.mapper();

    /** The identity of loaded members made from {@code request}. */
    public static ModelIdentity of(ModelRequest request, List<Member> members, FeatureNorm normalization,
            ModelStore store, int dimension) {
        List<String> names = ModelRequest.memberNames(request.spec(), store.known());
        String spec = String.join(",", names.stream()
                .map(n -> Files.exists(Path.of(n)) ? Path.of(n).toAbsolutePath().normalize().toString() : n).toList());
        List<Path> folders = request.folders(store);
        List<Path> adapters = request.adapters().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Path head = request.head() == null ? null : request.head().toAbsolutePath().normalize();
        return new ModelIdentity(
                spec,
                digest(folders, false),
                adapters.stream().map(Path::toString).toList(),
                adapters.isEmpty() ? "" : digest(adapters, true),
                request.features() == null ? "default" : request.features().cliName(),
                String.join(",", members.stream().map(m -> m.features().cliName()).toList()),
                normalization.toString(),
                members.get(0).backbone().precision().toString(),
                members.get(0).preprocessing().height(),
                request.preprocess().cliName(),
                request.activation() == null ? "" : request.activation().name().toLowerCase(Locale.ROOT),
                request.checkpointKey() == null ? "" : request.checkpointKey(),
                head == null ? "" : head.toString(),
                head == null ? "" : digest(List.of(head), true),
                dimension);
    }

    /** A request that loads the same model again (on the CPU, in the recorded precision). */
    public ModelRequest request() {
        return new ModelRequest(
                spec,
                features.equals("default") ? null : FeatureMode.parse(features),
                Precision.parse(precision),
                ComputeDevice.CPU,
                imageSize,
                PreprocessMode.parse(preprocess),
                activation.isEmpty() ? null : ModelRequest.parseActivation(activation),
                adapters.stream().map(Path::of).toList(),
                checkpointKey.isEmpty() ? null : checkpointKey,
                head.isEmpty() ? null : Path.of(head));
    }

    public FeatureNorm norm() {
        return FeatureNorm.parse(normalization);
    }

    /**
     * What differs between this identity and {@code other} in ways that change vectors: empty when
     * vectors of the two are comparable.
     */
    public List<String> differences(ModelIdentity other) {
        List<String> out = new ArrayList<>();
        if (!weightsSha256.equals(other.weightsSha256)) {
            out.add("weights " + spec + " (sha256 " + shortHash(weightsSha256) + ") vs " + other.spec
                    + " (sha256 " + shortHash(other.weightsSha256) + ")");
        }
        if (!adaptersSha256.equals(other.adaptersSha256)) {
            out.add("adapters " + adapters + " vs " + other.adapters);
        }
        if (!headSha256.equals(other.headSha256)) {
            out.add("head " + (head.isEmpty() ? "(none)" : head) + " vs " + (other.head.isEmpty() ? "(none)" : other.head));
        }
        compare(out, "features", memberFeatures, other.memberFeatures);
        compare(out, "normalization", normalization, other.normalization);
        compare(out, "image size", String.valueOf(imageSize), String.valueOf(other.imageSize));
        compare(out, "preprocess", preprocess, other.preprocess);
        compare(out, "activation", activation, other.activation);
        compare(out, "dimension", String.valueOf(dimension), String.valueOf(other.dimension));
        return out;
    }

    private static void compare(List<String> out, String what, String a, String b) {
        if (!a.equals(b)) {
            out.add(what + " " + (a.isEmpty() ? "(checkpoint's)" : a) + " vs " + (b.isEmpty() ? "(checkpoint's)" : b));
        }
    }

    private static String shortHash(String hex) {
        return hex.substring(0, Math.min(12, hex.length()));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelIdentity fromJson(String json, Path index) {
        try {
            return JSON.readValue(json, ModelIdentity.class);
        } catch (IOException e) {
            throw new PerceptException(index + ": unreadable model identity in the index: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over every regular file under {@code folders} (recursively or not), by relative name
     * and bytes; a path that is itself a file (a weights file given to --model) counts as itself.
     */
    static String digest(List<Path> folders, boolean recursive) {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[1 << 16];
        for (Path folder : folders) {
            List<Path> files;
            try (Stream<Path> s = Files.isDirectory(folder) ? (recursive ? Files.walk(folder) : Files.list(folder)) : Stream.of(folder)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new PerceptException("cannot list " + folder + ": " + e.getMessage(), e);
            }
            for (Path f : files) {
                digest.update(folder.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new PerceptException("cannot read " + f + ": " + e.getMessage(), e);
                }
            }
        }
        return Sha256.hex(digest);
    }
}
