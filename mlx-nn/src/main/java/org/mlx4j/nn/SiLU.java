package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code x * sigmoid(x)} (swish), elementwise, like MLX's {@code nn.SiLU}: the module form of {@link Activations#silu}. */
public final class SiLU extends UnaryModule {
    /** A SiLU layer (no parameters). */
    public SiLU() {}

    @Override public Array forward(Array x) { return Activations.silu(x); }
}
