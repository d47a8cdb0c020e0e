package dev.percept.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HubDownloaderTest {

    @Test
    void revisionIsOnePathSegmentAndFileKeepsItsFolders() {
        assertEquals("refs%2Fpr%2F1", HubDownloader.encode("refs/pr/1", false));
        assertEquals("sub%20dir/model%2B1.safetensors", HubDownloader.encode("sub dir/model+1.safetensors", true));
        assertEquals("caf%C3%A9.json", HubDownloader.encode("café.json", true));
    }

    @Test
    void etagLosesQuotesAndWeakPrefix() {
        assertEquals("abc123", HubDownloader.normalizeEtag("\"abc123\""));
        assertEquals("abc123", HubDownloader.normalizeEtag("W/\"abc123\""));
        assertEquals("abc123", HubDownloader.normalizeEtag("abc123"));
    }
}
