package dev.percept.synth;

/**
 * One object on the ground plane (world y is up, the ground is y = 0).
 *
 * @param size half-width in metres (the radius of a sphere, half the edge of a cube); the shape is
 *     {@code 2 size} tall, its centre {@code size} above the ground
 * @param x ground position, metres
 * @param z ground position, metres
 * @param yaw rotation about the vertical axis, radians
 */
public record SceneObject(Category category, Colour colour, double size, double x, double z, double yaw) {
    public SceneObject withPosition(double nx, double nz) {
        return new SceneObject(category, colour, size, nx, nz, yaw);
    }

    public SceneObject withColour(Colour c) {
        return new SceneObject(category, c, size, x, z, yaw);
    }

    public SceneObject withYaw(double y) {
        return new SceneObject(category, colour, size, x, z, y);
    }
}
