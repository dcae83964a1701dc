package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)}, elementwise, like MLX's {@code nn.CELU}: the module form of
 * {@link Activations#celu(Array, double)}. Default {@code alpha = 1.0}, MLX's.
 */
public final class CELU extends UnaryModule {
    private final double alpha;

    /** A CELU layer with MLX's default {@code alpha = 1.0}. */
    public CELU() { this(1.0); }

    /** A CELU layer. @param alpha the scale of the negative part */
    public CELU(double alpha) { this.alpha = alpha; }

    /** The scale of the negative part. */
    public double alpha() { return alpha; }

    @Override public Array forward(Array x) { return Activations.celu(x, alpha); }

    @Override protected String describe() { return "alpha=" + alpha; }
}
