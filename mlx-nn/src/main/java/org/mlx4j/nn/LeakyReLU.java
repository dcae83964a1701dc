package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code max(negativeSlope * x, x)}, elementwise, like MLX's {@code nn.LeakyReLU}: the module form of
 * {@link Activations#leakyRelu(Array, double)}. Default {@code negativeSlope = 0.01}, MLX's.
 */
public final class LeakyReLU extends UnaryModule {
    private final double negativeSlope;

    /** A LeakyReLU layer with MLX's default {@code negativeSlope = 0.01}. */
    public LeakyReLU() { this(0.01); }

    /** A LeakyReLU layer. @param negativeSlope the slope for negative inputs */
    public LeakyReLU(double negativeSlope) { this.negativeSlope = negativeSlope; }

    /** The slope for negative inputs. */
    public double negativeSlope() { return negativeSlope; }

    @Override public Array forward(Array x) { return Activations.leakyRelu(x, negativeSlope); }

    @Override protected String describe() { return "negativeSlope=" + negativeSlope; }
}
