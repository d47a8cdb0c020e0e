package dev.percept.hub;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * DreamSim's released checkpoints in a local folder with the layout of DreamSim's own
 * {@code cache_dir}: {@code pull} fetches a release zip (resumable), unpacks it safely beside the
 * others, and fetches the backbone files the zip lacks from where torch.hub would
 * ({@code checkpoints/...}); {@code files} finds them without the network.
 */
public final class DreamSimStore {

    private static final String DOWNLOADS = ".downloads";

    private final DreamSimSettings settings;
    private final SafeUnzip.Limits limits;

    public DreamSimStore(DreamSimSettings settings) {
        this(settings, SafeUnzip.Limits.RELEASE);
    }

    DreamSimStore(DreamSimSettings settings, SafeUnzip.Limits limits) {
        this.settings = settings;
        this.limits = limits;
    }

    public Path root() {
        return settings.cacheDir();
    }

    /** The local files of a release: its adapter folder and each member's backbone file, in member order. */
    public record ReleaseFiles(DreamSimRelease release, Path adapter, List<Path> weights) {}

    /** The release's files if all are in the cache. */
    public Optional<ReleaseFiles> cached(DreamSimRelease release) {
        if (missing(release).isPresent()) {
            return Optional.empty();
        }
        Path root = settings.cacheDir();
        return Optional.of(new ReleaseFiles(release, root.resolve(release.adapter()),
                release.members().stream().map(m -> root.resolve(m.weights())).toList()));
    }

    /** The release's files, or an error naming what is missing and the command that fetches it. */
    public ReleaseFiles files(String name, DreamSimRelease release) {
        Optional<String> missing = missing(release);
        if (missing.isPresent()) {
            throw new PerceptException("model " + name + " is not in the DreamSim cache " + settings.cacheDir()
                    + " (missing " + missing.get() + "); run `percept pull " + name + "`");
        }
        return cached(release).orElseThrow();
    }

    /**
     * Fetches what the cache lacks of a release; offline, only checks that it is complete.
     * Returns the release's files.
     */
    public ReleaseFiles pull(String name, DreamSimRelease release, TransferProgress progress) {
        if (settings.offline()) {
            Optional<String> missing = missing(release);
            if (missing.isPresent()) {
                throw new PerceptException("offline (--offline or HF_HUB_OFFLINE): " + missing.get() + " of " + name
                        + " is not in the DreamSim cache " + settings.cacheDir() + "; run `percept pull " + name
                        + "` with network access");
            }
            return files(name, release);
        }
        HttpTransfer http = new HttpTransfer(settings.timeout(), null, null);
        try {
            Files.createDirectories(settings.cacheDir());
            if (!unpacked(release)) {
                fetchZip(http, release, progress);
            } else {
                progress.note(release.zip() + ": already unpacked in " + settings.cacheDir());
            }
            for (DreamSimRelease.Member m : release.members()) {
                Path target = settings.cacheDir().resolve(m.weights());
                if (Files.isRegularFile(target)) {
                    continue;
                }
                if (m.download() == null) {
                    throw new PerceptException(release.zip() + " holds no " + m.weights()
                            + ", which DreamSim reads from it; the release does not look like DreamSim's");
                }
                URI uri = URI.create(settings.backboneUrl() + "/" + m.download());
                fetch(http, uri, target, m.weights(), progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files(name, release);
    }

    private void fetchZip(HttpTransfer http, DreamSimRelease release, TransferProgress progress) throws IOException {
        Path downloads = settings.cacheDir().resolve(DOWNLOADS);
        Path zip = downloads.resolve(release.zip());
        URI uri = URI.create(settings.releaseUrl() + "/" + release.tag() + "/" + release.zip());
        fetch(http, uri, zip, release.zip(), progress);
        progress.note(release.zip() + ": unpacking into " + settings.cacheDir());
        Path staging = downloads.resolve(release.type() + ".unpacking");
        deleteTree(staging);
        try {
            SafeUnzip.unpack(zip, staging, limits);
        } catch (PerceptException e) {
            // A refused or damaged zip is not kept: the next pull downloads it afresh.
            deleteTree(staging);
            Files.delete(zip);
            throw e;
        }
        if (!Files.isRegularFile(staging.resolve(release.adapterConfig()))) {
            deleteTree(staging);
            throw new PerceptException(release.zip() + " holds no " + release.adapterConfig()
                    + "; the release does not look like DreamSim's");
        }
        // Entries land beside those of other releases: a backbone file two zips share is replaced.
        try (Stream<Path> entries = Files.list(staging)) {
            for (Path entry : entries.toList()) {
                Path target = settings.cacheDir().resolve(entry.getFileName().toString());
                deleteTree(target);
                Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteTree(staging);
        Files.delete(zip);
    }

    private void fetch(HttpTransfer http, URI uri, Path target, String label, TransferProgress progress)
            throws IOException {
        if (Files.isRegularFile(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path incomplete = target.resolveSibling(target.getFileName() + ".incomplete");
        http.download(uri, -1, incomplete, label, (status, headers) -> status == 404
                ? new PerceptException("no file at " + uri + " (HTTP 404); check the base URL")
                : new PerceptException("HTTP " + status + " from " + uri), progress);
        Files.move(incomplete, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The adapter of a release is unpacked, and so is every backbone file its zip holds. */
    private boolean unpacked(DreamSimRelease release) {
        Path root = settings.cacheDir();
        return Files.isRegularFile(root.resolve(release.adapterConfig()))
                && release.members().stream().filter(m -> m.download() == null)
                        .allMatch(m -> Files.isRegularFile(root.resolve(m.weights())));
    }

    /** The first file of a release the cache lacks. */
    private Optional<String> missing(DreamSimRelease release) {
        List<String> needed = new ArrayList<>();
        needed.add(release.adapterConfig());
        release.members().forEach(m -> needed.add(m.weights()));
        return needed.stream().filter(f -> !Files.isRegularFile(settings.cacheDir().resolve(f))).findFirst();
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
