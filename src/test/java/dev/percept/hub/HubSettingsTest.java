package dev.percept.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSettingsTest {

    private static final Path HOME = Path.of("/home/ada");

    private static HubSettings from(Map<String, String> env) {
        return HubSettings.fromEnvironment(env, HOME);
    }

    @Test
    void cacheDirFollowsHuggingfaceHubPrecedence() {
        assertEquals(Path.of("/home/ada/.cache/huggingface/hub"), from(Map.of()).cacheDir());
        assertEquals(Path.of("/xdg/huggingface/hub"), from(Map.of("XDG_CACHE_HOME", "/xdg")).cacheDir());
        assertEquals(Path.of("/hf/hub"), from(Map.of("XDG_CACHE_HOME", "/xdg", "HF_HOME", "/hf")).cacheDir());
        assertEquals(Path.of("/legacy"),
                from(Map.of("HF_HOME", "/hf", "HUGGINGFACE_HUB_CACHE", "/legacy")).cacheDir());
        assertEquals(Path.of("/hub"),
                from(Map.of("HF_HOME", "/hf", "HUGGINGFACE_HUB_CACHE", "/legacy", "HF_HUB_CACHE", "/hub")).cacheDir());
        assertEquals(Path.of("/home/ada/models"), from(Map.of("HF_HUB_CACHE", "~/models")).cacheDir());
    }

    @Test
    void cacheDirOptionOverridesTheEnvironment() {
        HubSettings settings = from(Map.of("HF_HUB_CACHE", "/hub")).withCacheDir(Path.of("/mine"));

        assertEquals(Path.of("/mine"), settings.cacheDir());
        assertEquals(Path.of("/hub"), from(Map.of("HF_HUB_CACHE", "/hub")).withCacheDir(null).cacheDir());
    }

    @Test
    void endpointComesFromHfEndpointWithoutTrailingSlash() {
        assertEquals(URI.create("https://huggingface.co"), from(Map.of()).endpoint());
        assertEquals(URI.create("http://127.0.0.1:8080"),
                from(Map.of("HF_ENDPOINT", "http://127.0.0.1:8080/")).endpoint());
        PerceptException e = assertThrows(PerceptException.class, () -> from(Map.of("HF_ENDPOINT", "ftp://mirror")));
        assertEquals("HF_ENDPOINT must be an http(s) URL, got ftp://mirror", e.getMessage());
    }

    @Test
    void offlineAcceptsHuggingfaceHubTrueValues() {
        for (String yes : new String[] {"1", "true", "ON", "yes"}) {
            assertTrue(from(Map.of("HF_HUB_OFFLINE", yes)).offline(), yes);
        }
        assertTrue(from(Map.of("TRANSFORMERS_OFFLINE", "1")).offline());
        assertFalse(from(Map.of("HF_HUB_OFFLINE", "0")).offline());
        assertTrue(from(Map.of()).withOffline(true).offline());
        assertTrue(from(Map.of("HF_HUB_OFFLINE", "1")).withOffline(false).offline());
    }

    @Test
    void timeoutComesFromHfHubDownloadTimeout() {
        assertEquals(Duration.ofSeconds(10), from(Map.of()).timeout());
        assertEquals(Duration.ofSeconds(60), from(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "60")).timeout());
        assertThrows(PerceptException.class, () -> from(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "soon")));
    }

    @Test
    void tokenIsReadButNeverPrinted() {
        HubSettings settings = from(Map.of("HF_TOKEN", "hf_abc123"));

        assertEquals("hf_abc123", settings.token());
        assertFalse(settings.toString().contains("hf_abc123"), settings.toString());
        assertNull(from(Map.of()).token());
    }
}
