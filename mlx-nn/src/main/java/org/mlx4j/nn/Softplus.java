package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code log(1 + exp(x))}, computed stably, elementwise, like MLX's {@code nn.Softplus}: the module form of {@link Activations#softplus}. */
public final class Softplus extends UnaryModule {
    /** A Softplus layer (no parameters). */
    public Softplus() {}

    @Override public Array forward(Array x) { return Activations.softplus(x); }
}
