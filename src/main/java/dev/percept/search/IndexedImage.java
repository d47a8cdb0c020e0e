package dev.percept.search;

/** What the index keeps about one image besides its vector and thumbnail. */
public record IndexedImage(String path, long size, long modified, String sha256) {}
