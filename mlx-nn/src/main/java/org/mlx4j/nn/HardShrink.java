package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code x} where {@code |x| > lambda}, else 0, elementwise, like MLX's {@code nn.HardShrink}: the module form of
 * {@link Activations#hardShrink(Array, double)}. Default {@code lambda = 0.5}, MLX's.
 */
public final class HardShrink extends UnaryModule {
    private final double lambda;

    /** A HardShrink layer with MLX's default {@code lambda = 0.5}. */
    public HardShrink() { this(0.5); }

    /** A HardShrink layer. @param lambda the threshold */
    public HardShrink(double lambda) { this.lambda = lambda; }

    /** The threshold. */
    public double lambda() { return lambda; }

    @Override public Array forward(Array x) { return Activations.hardShrink(x, lambda); }

    @Override protected String describe() { return "lambda=" + lambda; }
}
