package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code x / (1 + |x|)}, elementwise, like MLX's {@code nn.Softsign}: the module form of {@link Activations#softsign}. */
public final class Softsign extends UnaryModule {
    /** A Softsign layer (no parameters). */
    public Softsign() {}

    @Override public Array forward(Array x) { return Activations.softsign(x); }
}
