package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code x * tanh(softplus(x))}, elementwise, like MLX's {@code nn.Mish}: the module form of {@link Activations#mish}. */
public final class Mish extends UnaryModule {
    /** A Mish layer (no parameters). */
    public Mish() {}

    @Override public Array forward(Array x) { return Activations.mish(x); }
}
