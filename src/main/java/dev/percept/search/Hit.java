package dev.percept.search;

/** One search result: an indexed image and its distance (1 - cos) to the query. */
public record Hit(String path, double distance) {}
