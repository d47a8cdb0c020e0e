package dev.percept.hub;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Known models and the local model cache: turns what a user typed (a folder or a known name) into
 * a folder, fetches known models from the Hub, and says what is cached.
 */
public final class ModelStore {

    private final HubSettings settings;
    private final KnownModels known;
    private final HubCache cache;
    private final DreamSimStore dreamsim;

    /** A store whose DreamSim settings come from the environment ({@link DreamSimSettings#fromEnvironment}). */
    public ModelStore(HubSettings settings, KnownModels known) {
        this(settings, DreamSimSettings.fromEnvironment(settings), known);
    }

    public ModelStore(HubSettings settings, DreamSimSettings dreamsimSettings, KnownModels known) {
        this.settings = settings;
        this.known = known;
        this.cache = new HubCache(settings.cacheDir());
        this.dreamsim = new DreamSimStore(dreamsimSettings);
    }

    /** Where DreamSim's released checkpoints are kept. */
    public DreamSimStore dreamsim() {
        return dreamsim;
    }

    /**
     * The local files of one of DreamSim's released checkpoints; never uses the network.
     *
     * @throws PerceptException if {@code name} is not a DreamSim release, or is not pulled yet
     */
    public DreamSimStore.ReleaseFiles dreamsimFiles(String name) {
        KnownModel m = known.get(name);
        if (!m.isDreamSim()) {
            throw new PerceptException(name + " is not one of DreamSim's released checkpoints");
        }
        return dreamsim.files(name, m.dreamsim());
    }

    public HubCache cache() {
        return cache;
    }

    /** The names this store resolves. */
    public KnownModels known() {
        return known;
    }

    /**
     * The folder for a user's model argument: an existing folder as it is, a known name as its
     * snapshot folder in the cache. Never uses the network.
     */
    public Path resolve(String nameOrPath) {
        Optional<Path> path = asPath(nameOrPath);
        if (path.isPresent() && (Files.isDirectory(path.get()) || Files.isRegularFile(path.get()))) {
            return path.get(); // a model folder, or a single weights file
        }
        Optional<KnownModel> model = known.find(nameOrPath);
        if (model.isEmpty()) {
            throw new PerceptException(nameOrPath + " is neither an existing folder or weights file nor a known model name (known: "
                    + known.names() + ")");
        }
        KnownModel m = model.get();
        requireOnHub(m);
        HubCache.Lookup lookup = cache.lookup(m.repo(), m.revision(), m.files());
        if (!lookup.complete()) {
            throw new PerceptException("model " + m.name() + " (" + m.repo() + ") is not in the cache "
                    + cache.root() + " (missing " + lookup.missing() + "); run `percept pull " + m.name() + "`");
        }
        return lookup.folder();
    }

    /**
     * Fetches a known model (each member of an ensemble) into the cache, or with
     * {@link HubSettings#offline()} checks that it is there. Returns each model's snapshot folder
     * by name.
     *
     * @param revision a branch, tag or commit instead of the model's own; null for the model's
     */
    public Map<String, Path> pull(String name, String revision, TransferProgress progress) {
        KnownModel model = known.get(name);
        if (model.isDreamSim()) {
            if (revision != null) {
                throw new PerceptException(name + " is a DreamSim release zip; --revision applies to Hub repos");
            }
            dreamsim.pull(name, model.dreamsim(), progress);
            return Map.of(name, dreamsim.root());
        }
        if (model.isEnsemble() && revision != null) {
            throw new PerceptException(name + " combines models from several repos; --revision applies to one model");
        }
        List<KnownModel> models = model.isEnsemble()
                ? model.members().stream().map(known::get).toList()
                : List.of(model);
        models.forEach(this::requireOnHub);
        Map<String, Path> folders = new LinkedHashMap<>();
        HubDownloader downloader = settings.offline() ? null : new HubDownloader(settings, cache);
        for (KnownModel m : models) {
            String rev = revision != null ? revision : m.revision();
            folders.put(m.name(), downloader == null ? fromCache(m, rev) : download(downloader, m, rev, progress));
        }
        return folders;
    }

    /** Each known model with its snapshot folder when all its files are cached. */
    public List<CachedModel> list() {
        return known.all().stream().map(m -> new CachedModel(m, cachedFolder(m))).toList();
    }

    /** A known model and, when it is complete in the cache, its folder. */
    public record CachedModel(KnownModel model, Optional<Path> folder) {}

    private Optional<Path> cachedFolder(KnownModel m) {
        if (m.isDreamSim()) {
            return dreamsim.cached(m.dreamsim()).map(f -> dreamsim.root());
        }
        if (!m.isOnHub()) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.lookup(m.repo(), m.revision(), m.files()).folder());
    }

    private Path download(HubDownloader downloader, KnownModel m, String revision, TransferProgress progress) {
        progress.note(m.name() + ": " + m.repo() + " at " + revision);
        try {
            // The other files are fetched at the commit the first one resolved to: one consistent snapshot.
            String commit = downloader.fetch(m.repo(), revision, m.files().get(0), progress);
            for (String file : m.files().subList(1, m.files().size())) {
                downloader.fetch(m.repo(), commit, file, progress);
            }
            return cache.snapshotDir(m.repo(), commit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fromCache(KnownModel m, String revision) {
        HubCache.Lookup lookup = cache.lookup(m.repo(), revision, m.files());
        if (!lookup.complete()) {
            throw new PerceptException("offline (--offline or HF_HUB_OFFLINE): " + lookup.missing() + " of "
                    + m.repo() + " at revision " + revision + " is not in the cache " + cache.root()
                    + "; run `percept pull " + m.name() + "` with network access");
        }
        return lookup.folder();
    }

    private void requireOnHub(KnownModel m) {
        if (m.isDreamSim()) {
            throw new PerceptException(m.name() + " is one of DreamSim's released checkpoints: a whole model of several"
                    + " files, which embed, distance and eval load by its name; it is not a model folder");
        }
        if (m.isEnsemble()) {
            throw new PerceptException(m.name() + " is an ensemble of " + String.join(", ", m.members())
                    + ": resolve each member");
        }
        if (!m.isOnHub()) {
            throw new PerceptException(m.name() + ": " + m.manualSource());
        }
    }

    private static Optional<Path> asPath(String text) {
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
