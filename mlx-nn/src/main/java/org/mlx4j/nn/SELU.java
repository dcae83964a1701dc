package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code 1.0507 * elu(x, 1.67326)}, elementwise, like MLX's {@code nn.SELU}: the module form of {@link Activations#selu}. */
public final class SELU extends UnaryModule {
    /** A SELU layer (no parameters). */
    public SELU() {}

    @Override public Array forward(Array x) { return Activations.selu(x); }
}
