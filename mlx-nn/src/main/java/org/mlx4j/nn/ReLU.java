package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code max(x, 0)}, elementwise, like MLX's {@code nn.ReLU}: the module form of {@link Activations#relu}. */
public final class ReLU extends UnaryModule {
    /** A ReLU layer (no parameters). */
    public ReLU() {}

    @Override public Array forward(Array x) { return Activations.relu(x); }
}
