package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code min(max(x, 0), 6)}, elementwise, like MLX's {@code nn.ReLU6}: the module form of {@link Activations#relu6}. */
public final class ReLU6 extends UnaryModule {
    /** A ReLU6 layer (no parameters). */
    public ReLU6() {}

    @Override public Array forward(Array x) { return Activations.relu6(x); }
}
