package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code tanh(x)}, elementwise, like MLX's {@code nn.Tanh}: the module form of {@link Activations#tanh}. */
public final class Tanh extends UnaryModule {
    /** A Tanh layer (no parameters). */
    public Tanh() {}

    @Override public Array forward(Array x) { return Activations.tanh(x); }
}
