package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * the gated linear unit {@code a * sigmoid(b)} of the two halves of an axis, like MLX's {@code nn.GLU}: the module form of {@link Activations#glu(Array, int)}.
 * The axis defaults to -1 (the last), MLX's. The output has half the input's size along the axis.
 */
public final class GLU extends UnaryModule {
    private final int axis;

    /** A GLU layer over the last axis. */
    public GLU() { this(-1); }

    /** A GLU layer over {@code axis} (negative counts from the end). */
    public GLU(int axis) { this.axis = axis; }

    /** The axis. */
    public int axis() { return axis; }

    /**
     * Applies the activation along the axis.
     * @throws IllegalArgumentException ({@code [glu]}) if the axis is out of range or has odd size
     */
    @Override public Array forward(Array x) { return Activations.glu(x, axis); }

    @Override protected String describe() { return "axis=" + axis; }
}
