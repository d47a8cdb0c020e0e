package dev.percept.model;

import dev.percept.tensor.Ops;
import org.bytedeco.pytorch.Tensor;

/**
 * A trainable low-rank update beside one frozen projection, as PEFT's LoRA computes it: {@code
 * scale * B(A(dropout(x)))}. {@code a} [r, in] and {@code b} [out, r] are float32 parameters;
 * each forward casts them to the activations' precision, so their gradients stay in float32.
 */
record LoraBranch(Tensor a, Tensor b, double scale, double dropout) {
    Tensor apply(Tensor x, boolean training) {
        Tensor in = training ? Ops.dropout(x, dropout) : x;
        Tensor low = Ops.linear(in, a.to(x.scalar_type()), null);
        return Ops.scaleInPlace(Ops.linear(low, b.to(x.scalar_type()), null), scale);
    }
}
