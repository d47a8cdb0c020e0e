package dev.percept.synth;

/** A scene with its rendering (kept from the visibility check so no scene is rendered twice). */
record Rendered(Scene scene, Rendering rendering) {}
