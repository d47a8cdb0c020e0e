package dev.percept.synth;

import java.util.List;

/** What one image shows: objects on the ground, seen by a camera under a light. */
public record Scene(List<SceneObject> objects, Camera camera, Light light, Background background) {
    public Scene {
        objects = List.copyOf(objects);
    }

    public Scene withObjects(List<SceneObject> o) {
        return new Scene(o, camera, light, background);
    }

    public Scene withCamera(Camera c) {
        return new Scene(objects, c, light, background);
    }

    public Scene withLight(Light l) {
        return new Scene(objects, camera, l, background);
    }
}
