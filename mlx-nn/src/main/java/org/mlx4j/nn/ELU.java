package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}, elementwise, like MLX's {@code nn.ELU}: the module form of
 * {@link Activations#elu(Array, double)}. Default {@code alpha = 1.0}, MLX's.
 */
public final class ELU extends UnaryModule {
    private final double alpha;

    /** A ELU layer with MLX's default {@code alpha = 1.0}. */
    public ELU() { this(1.0); }

    /** A ELU layer. @param alpha the scale of the negative part */
    public ELU(double alpha) { this.alpha = alpha; }

    /** The scale of the negative part. */
    public double alpha() { return alpha; }

    @Override public Array forward(Array x) { return Activations.elu(x, alpha); }

    @Override protected String describe() { return "alpha=" + alpha; }
}
