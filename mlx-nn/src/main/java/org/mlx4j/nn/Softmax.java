package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code exp(x_i) / sum_j exp(x_j)} along an axis, like MLX's {@code nn.Softmax}: the module form of {@link Activations#softmax(Array, int)}.
 * The axis defaults to -1 (the last), MLX's.
 */
public final class Softmax extends UnaryModule {
    private final int axis;

    /** A Softmax layer over the last axis. */
    public Softmax() { this(-1); }

    /** A Softmax layer over {@code axis} (negative counts from the end). */
    public Softmax(int axis) { this.axis = axis; }

    /** The axis. */
    public int axis() { return axis; }

    /**
     * Applies the activation along the axis.
     */
    @Override public Array forward(Array x) { return Activations.softmax(x, axis); }

    @Override protected String describe() { return "axis=" + axis; }
}
