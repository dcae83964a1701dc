package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code 1 / (1 + exp(-x))}, elementwise, like MLX's {@code nn.Sigmoid}: the module form of {@link Activations#sigmoid}. */
public final class Sigmoid extends UnaryModule {
    /** A Sigmoid layer (no parameters). */
    public Sigmoid() {}

    @Override public Array forward(Array x) { return Activations.sigmoid(x); }
}
