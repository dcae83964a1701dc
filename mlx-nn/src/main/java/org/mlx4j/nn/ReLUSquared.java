package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code max(x, 0)^2} (MLX's {@code ReLU2}), elementwise, like MLX's {@code nn.ReLUSquared}: the module form of {@link Activations#reluSquared}. */
public final class ReLUSquared extends UnaryModule {
    /** A ReLUSquared layer (no parameters). */
    public ReLUSquared() {}

    @Override public Array forward(Array x) { return Activations.reluSquared(x); }
}
