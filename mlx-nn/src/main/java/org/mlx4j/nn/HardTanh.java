package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code min(max(x, minVal), maxVal)}, elementwise, like MLX's {@code nn.HardTanh}: the module form
 * of {@link Activations#hardTanh(Array, double, double)}. Defaults {@code minVal = -1},
 * {@code maxVal = 1}, MLX's.
 */
public final class HardTanh extends UnaryModule {
    private final double minVal;
    private final double maxVal;

    /** A HardTanh layer clipping to [-1, 1]. */
    public HardTanh() { this(-1.0, 1.0); }

    /**
     * A HardTanh layer clipping to {@code [minVal, maxVal]}.
     *
     * @throws IllegalArgumentException if {@code minVal > maxVal}
     */
    public HardTanh(double minVal, double maxVal) {
        if (!(minVal <= maxVal)) {
            throw new IllegalArgumentException("[HardTanh] minVal must not exceed maxVal, got minVal=" + minVal + " and maxVal=" + maxVal + ".");
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    /** The lower bound. */
    public double minVal() { return minVal; }

    /** The upper bound. */
    public double maxVal() { return maxVal; }

    @Override public Array forward(Array x) { return Activations.hardTanh(x, minVal, maxVal); }

    @Override protected String describe() { return "minVal=" + minVal + ", maxVal=" + maxVal; }
}
