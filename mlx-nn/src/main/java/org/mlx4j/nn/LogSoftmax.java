package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * {@code x - logsumexp(x)} along an axis, like MLX's {@code nn.LogSoftmax}: the module form of {@link Activations#logSoftmax(Array, int)}.
 * The axis defaults to -1 (the last), MLX's.
 */
public final class LogSoftmax extends UnaryModule {
    private final int axis;

    /** A LogSoftmax layer over the last axis. */
    public LogSoftmax() { this(-1); }

    /** A LogSoftmax layer over {@code axis} (negative counts from the end). */
    public LogSoftmax(int axis) { this.axis = axis; }

    /** The axis. */
    public int axis() { return axis; }

    /**
     * Applies the activation along the axis.
     */
    @Override public Array forward(Array x) { return Activations.logSoftmax(x, axis); }

    @Override protected String describe() { return "axis=" + axis; }
}
