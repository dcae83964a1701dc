package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** Returns its input unchanged: a placeholder layer, like MLX's {@code nn.Identity}. */
public final class Identity extends UnaryModule {
    /** An identity layer. */
    public Identity() {}

    @Override public Array forward(Array x) { return x; }
}
