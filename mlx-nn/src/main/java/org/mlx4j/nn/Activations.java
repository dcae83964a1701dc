package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Activation functions with MLX's names and formulas; each also exists as a module (such as
 * {@link ReLU}) for {@link Sequential}. All are elementwise unless stated and keep the input's dtype.
 */
public final class Activations {
    private Activations() {}

    /** {@code max(x, 0)}. */
    public static Array relu(Array x) { return MX.maximum(x, MX.scalarLike(0, x)); }
}
