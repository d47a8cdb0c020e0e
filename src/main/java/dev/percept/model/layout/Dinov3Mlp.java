package dev.percept.model.layout;

/**
 * The MLP keys of a DINOv3 block onto the canonical names, shared by its three layouts: a plain
 * MLP is {@code mlp.fc1}, {@code mlp.fc2}; SwiGLU is fc2(silu(fc1_g(x)) * fc1_x(x)), timm's names
 * (the hub's w1, w2, w3; Hugging Face's gate_proj, up_proj, down_proj).
 */
final class Dinov3Mlp {
    private Dinov3Mlp() {}

    static void plain(KeyMap keys, String block, String fc1, String fc2, long d, long hidden) {
        keys.copy(block + "mlp.fc1.weight", fc1 + ".weight", hidden, d)
                .copy(block + "mlp.fc1.bias", fc1 + ".bias", hidden)
                .copy(block + "mlp.fc2.weight", fc2 + ".weight", d, hidden)
                .copy(block + "mlp.fc2.bias", fc2 + ".bias", d);
    }

    static void gated(KeyMap keys, String block, String gate, String up, String down, long d, long hidden) {
        keys.copy(block + "mlp.fc1_g.weight", gate + ".weight", hidden, d)
                .copy(block + "mlp.fc1_g.bias", gate + ".bias", hidden)
                .copy(block + "mlp.fc1_x.weight", up + ".weight", hidden, d)
                .copy(block + "mlp.fc1_x.bias", up + ".bias", hidden)
                .copy(block + "mlp.fc2.weight", down + ".weight", d, hidden)
                .copy(block + "mlp.fc2.bias", down + ".bias", d);
    }
}
