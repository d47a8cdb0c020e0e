package dev.percept.hub;

import dev.percept.PerceptException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where DreamSim's released files are cached and fetched from.
 *
 * @param cacheDir the folder in DreamSim's own {@code cache_dir} layout (a DreamSim
 *     {@code ./models} folder works as is)
 * @param releaseUrl base of the release downloads; a zip is {@code <releaseUrl>/<tag>/<zip>}
 * @param backboneUrl base of the torch hub checkpoints (dl.fbaipublicfiles.com)
 * @param offline no network at all
 * @param timeout longest wait for an answer, or for more data during a download
 */
public record DreamSimSettings(Path cacheDir, URI releaseUrl, URI backboneUrl, boolean offline, Duration timeout) {

    public static final String DEFAULT_RELEASE_URL = "https://github.com/ssundaram21/dreamsim/releases/download";
    public static final String DEFAULT_BACKBONE_URL = "https://dl.fbaipublicfiles.com";
    static final String CACHE_VARIABLE = "PERCEPT_DREAMSIM_CACHE";
    static final String RELEASE_VARIABLE = "PERCEPT_DREAMSIM_URL";
    static final String BACKBONE_VARIABLE = "PERCEPT_FBAIPUBLICFILES_URL";

    /** Settings from the process environment, offline and timeout as the Hub's. */
    public static DreamSimSettings fromEnvironment(HubSettings hub) {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), hub);
    }

    /**
     * Cache {@code PERCEPT_DREAMSIM_CACHE}, else {@code $XDG_CACHE_HOME/percept/dreamsim}, else
     * {@code ~/.cache/percept/dreamsim}; release base {@code PERCEPT_DREAMSIM_URL}; backbone base
     * {@code PERCEPT_FBAIPUBLICFILES_URL}.
     */
    public static DreamSimSettings fromEnvironment(Map<String, String> env, Path home, HubSettings hub) {
        String cache = value(env, CACHE_VARIABLE);
        Path dir;
        if (cache != null) {
            dir = Path.of(cache.startsWith("~/") ? home + cache.substring(1) : cache);
        } else {
            String xdg = value(env, "XDG_CACHE_HOME");
            dir = (xdg != null ? Path.of(xdg) : home.resolve(".cache")).resolve("percept").resolve("dreamsim");
        }
        return new DreamSimSettings(dir,
                url(value(env, RELEASE_VARIABLE), DEFAULT_RELEASE_URL, RELEASE_VARIABLE),
                url(value(env, BACKBONE_VARIABLE), DEFAULT_BACKBONE_URL, BACKBONE_VARIABLE),
                hub.offline(), hub.timeout());
    }

    /** These settings with another cache folder; null keeps this one. */
    public DreamSimSettings withCacheDir(Path dir) {
        return dir == null ? this : new DreamSimSettings(dir, releaseUrl, backboneUrl, offline, timeout);
    }

    /** These settings with another release base URL; null keeps this one. */
    public DreamSimSettings withReleaseUrl(String url) {
        return url == null ? this
                : new DreamSimSettings(cacheDir, url(url, null, "--dreamsim-url"), backboneUrl, offline, timeout);
    }

    /** These settings with another base URL for the torch hub checkpoints; null keeps this one. */
    public DreamSimSettings withBackboneUrl(String url) {
        return url == null ? this
                : new DreamSimSettings(cacheDir, releaseUrl, url(url, null, "--backbone-url"), offline, timeout);
    }

    private static URI url(String value, String fallback, String what) {
        String text = (value == null ? fallback : value).replaceAll("/+$", "");
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new PerceptException(what + " must be an http(s) URL, got " + text);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new PerceptException(what + " is not a URL: " + text, e);
        }
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
