package dev.percept.hub;

import java.util.List;
import java.util.Objects;

/**
 * A model percept knows by name: where its safetensors weights live on the Hugging Face Hub, or
 * which known models it combines (an ensemble), or where its weights are published when no
 * safetensors copy exists on the Hub.
 *
 * @param name the name users type ({@code dino_vitb16})
 * @param family backbone family: dino, dinov2, clip, open_clip, synclr or ensemble
 * @param repo Hub repository ({@code org/name}); null for an ensemble or a model not on the Hub
 * @param revision branch, tag or commit to fetch; null when {@code repo} is null
 * @param files the files of {@code repo} to fetch, all safetensors or JSON (the Hub's safetensors copies, not its pickles)
 * @param activation MLP activation the weights were trained with, {@code gelu} or
 *     {@code quick_gelu}: open_clip weights do not record it; null for an ensemble
 * @param members names of the known models an ensemble concatenates; empty otherwise
 * @param manualSource for a model with no safetensors copy on the Hub: where its weights are
 *     published and how to convert them; null otherwise
 * @param dreamsim one of DreamSim's released checkpoints (its zip, backbones and adapter); null
 *     otherwise
 * @param description one line for {@code percept models}
 */
public record KnownModel(
        String name,
        String family,
        String repo,
        String revision,
        List<String> files,
        String activation,
        List<String> members,
        String manualSource,
        DreamSimRelease dreamsim,
        String description) {

    public static final String GELU = "gelu";
    public static final String QUICK_GELU = "quick_gelu";

    public KnownModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(description, "description");
        files = List.copyOf(files);
        members = List.copyOf(members);
        if (activation != null && !activation.equals(GELU) && !activation.equals(QUICK_GELU)) {
            throw new IllegalArgumentException(name + ": activation must be gelu or quick_gelu, not " + activation);
        }
        if ((repo == null) != (revision == null) || (repo == null) != files.isEmpty()) {
            throw new IllegalArgumentException(name + ": repo, revision and files go together");
        }
        for (String file : files) {
            if (file.endsWith(".bin") || file.endsWith(".pt") || file.endsWith(".pth")) {
                // Hub downloads take the safetensors copy: memory-mapped, and nothing to interpret.
                throw new IllegalArgumentException(name + ": " + file + " is a pickle file; list the repo's safetensors");
            }
        }
        int kinds = (repo != null ? 1 : 0) + (members.isEmpty() ? 0 : 1) + (manualSource != null ? 1 : 0)
                + (dreamsim != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException(name + ": needs exactly one of repo, members, manualSource or dreamsim");
        }
    }

    /** A model whose safetensors files are fetched from a Hub repository. */
    public static KnownModel onHub(
            String name, String family, String repo, String revision, List<String> files, String activation,
            String description) {
        return new KnownModel(name, family, repo, revision, files, activation, List.of(), null, null, description);
    }

    /** A model that concatenates the embeddings of other known models. */
    public static KnownModel ensemble(String name, List<String> members, String description) {
        return new KnownModel(name, "ensemble", null, null, List.of(), null, members, null, null, description);
    }

    /** A model with no safetensors copy on the Hub: {@code percept pull} explains how to get it. */
    public static KnownModel manual(
            String name, String family, String activation, String manualSource, String description) {
        return new KnownModel(name, family, null, null, List.of(), activation, List.of(), manualSource, null, description);
    }

    /** One of DreamSim's released checkpoints, fetched from its GitHub release. */
    public static KnownModel dreamsim(String name, DreamSimRelease release, String description) {
        return new KnownModel(name, "dreamsim", null, null, List.of(), null, List.of(), null, release, description);
    }

    public boolean isDreamSim() {
        return dreamsim != null;
    }

    public boolean isEnsemble() {
        return !members.isEmpty();
    }

    public boolean isOnHub() {
        return repo != null;
    }
}
