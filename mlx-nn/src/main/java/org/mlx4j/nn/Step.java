package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 1 where {@code x > threshold}, else 0 (in x's dtype), elementwise, like MLX's {@code nn.Step}: the module form of
 * {@link Activations#step(Array, double)}. Default {@code threshold = 0.0}, MLX's.
 */
public final class Step extends UnaryModule {
    private final double threshold;

    /** A Step layer with MLX's default {@code threshold = 0.0}. */
    public Step() { this(0.0); }

    /** A Step layer. @param threshold the threshold */
    public Step(double threshold) { this.threshold = threshold; }

    /** The threshold. */
    public double threshold() { return threshold; }

    @Override public Array forward(Array x) { return Activations.step(x, threshold); }

    @Override protected String describe() { return "threshold=" + threshold; }
}
