package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code x - sign(x) * lambda} where {@code |x| > lambda}, else 0, elementwise, like MLX's {@code nn.Softshrink}: the module form of
 * {@link Activations#softshrink(Array, double)}. Default {@code lambda = 0.5}, MLX's.
 */
public final class Softshrink extends UnaryModule {
    private final double lambda;

    /** A Softshrink layer with MLX's default {@code lambda = 0.5}. */
    public Softshrink() { this(0.5); }

    /** A Softshrink layer. @param lambda the threshold */
    public Softshrink(double lambda) { this.lambda = lambda; }

    /** The threshold. */
    public double lambda() { return lambda; }

    @Override public Array forward(Array x) { return Activations.softshrink(x, lambda); }

    @Override protected String describe() { return "lambda=" + lambda; }
}
