package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code softmax(-x)} along an axis, like MLX's {@code nn.Softmin}: the module form of {@link Activations#softmin(Array, int)}.
 * The axis defaults to -1 (the last), MLX's.
 */
public final class Softmin extends UnaryModule {
    private final int axis;

    /** A Softmin layer over the last axis. */
    public Softmin() { this(-1); }

    /** A Softmin layer over {@code axis} (negative counts from the end). */
    public Softmin(int axis) { this.axis = axis; }

    /** The axis. */
    public int axis() { return axis; }

    /**
     * Applies the activation along the axis.
     */
    @Override public Array forward(Array x) { return Activations.softmin(x, axis); }

    @Override protected String describe() { return "axis=" + axis; }
}
