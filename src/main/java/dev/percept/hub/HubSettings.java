package dev.percept.hub;

import dev.percept.PerceptException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the model cache is, which Hub endpoint to ask, whether the network may be used, the access
 * token and how long to wait: read from the environment variables huggingface_hub reads, so both
 * tools share one cache.
 *
 * @param cacheDir the hub cache folder holding {@code models--org--name} folders
 * @param endpoint the Hub, {@code https://huggingface.co} unless {@code HF_ENDPOINT} says otherwise
 * @param offline no network at all: everything comes from the cache
 * @param token bearer token sent to the endpoint, or null
 * @param timeout longest wait for an answer, or for more data during a download
 */
public record HubSettings(Path cacheDir, URI endpoint, boolean offline, String token, Duration timeout) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    // huggingface_hub's DEFAULT_DOWNLOAD_TIMEOUT, in seconds.
    private static final int DEFAULT_TIMEOUT_SECONDS = 10;

    // huggingface_hub's constants.py treats these (case-insensitive) as true.
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    /** Settings from the process environment and the user's home folder. */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Settings from {@code env}, with huggingface_hub's precedence: cache {@code HF_HUB_CACHE},
     * else the legacy {@code HUGGINGFACE_HUB_CACHE}, else {@code $HF_HOME/hub}, else
     * {@code $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}; endpoint
     * {@code HF_ENDPOINT}; offline {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE});
     * token {@code HF_TOKEN}; timeout {@code HF_HUB_DOWNLOAD_TIMEOUT} seconds (default 10).
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
        return new HubSettings(
                cacheDir(env, home),
                endpoint(value(env, "HF_ENDPOINT")),
                isTrue(value(env, "HF_HUB_OFFLINE")) || isTrue(value(env, "TRANSFORMERS_OFFLINE")),
                value(env, "HF_TOKEN"),
                timeout(value(env, "HF_HUB_DOWNLOAD_TIMEOUT")));
    }

    /** These settings with another cache folder; null keeps this one. */
    public HubSettings withCacheDir(Path dir) {
        return dir == null ? this : new HubSettings(dir, endpoint, offline, token, timeout);
    }

    /** These settings, offline if {@code offline} is set (a flag can only add to the environment). */
    public HubSettings withOffline(boolean offline) {
        return new HubSettings(cacheDir, endpoint, this.offline || offline, token, timeout);
    }

    @Override
    public String toString() {
        // Never print the token.
        return "HubSettings[cacheDir=" + cacheDir + ", endpoint=" + endpoint + ", offline=" + offline
                + ", token=" + (token == null ? "none" : "set") + ", timeout=" + timeout + "]";
    }

    private static Path cacheDir(Map<String, String> env, Path home) {
        String hub = value(env, "HF_HUB_CACHE");
        if (hub == null) {
            hub = value(env, "HUGGINGFACE_HUB_CACHE");
        }
        if (hub != null) {
            return expandHome(hub, home);
        }
        String hfHome = value(env, "HF_HOME");
        if (hfHome != null) {
            return expandHome(hfHome, home).resolve("hub");
        }
        String xdg = value(env, "XDG_CACHE_HOME");
        Path cache = xdg != null ? expandHome(xdg, home) : home.resolve(".cache");
        return cache.resolve("huggingface").resolve("hub");
    }

    private static URI endpoint(String value) {
        String text = value == null ? DEFAULT_ENDPOINT : value.replaceAll("/+$", "");
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new PerceptException("HF_ENDPOINT must be an http(s) URL, got " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new PerceptException("HF_ENDPOINT is not a URL: " + value, e);
        }
    }

    private static Duration timeout(String seconds) {
        if (seconds == null) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        }
        try {
            int value = Integer.parseInt(seconds);
            if (value > 0) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PerceptException("HF_HUB_DOWNLOAD_TIMEOUT must be a positive number of seconds, got " + seconds);
    }

    private static Path expandHome(String path, Path home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean isTrue(String value) {
        return value != null && TRUE_VALUES.contains(value.toUpperCase(Locale.ROOT));
    }
}
