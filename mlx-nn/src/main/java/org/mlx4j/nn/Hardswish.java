package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code x * min(max(x + 3, 0), 6) / 6}, elementwise, like MLX's {@code nn.Hardswish}: the module form of {@link Activations#hardswish}. */
public final class Hardswish extends UnaryModule {
    /** A Hardswish layer (no parameters). */
    public Hardswish() {}

    @Override public Array forward(Array x) { return Activations.hardswish(x); }
}
