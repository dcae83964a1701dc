package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** {@code log(sigmoid(x))}, computed stably, elementwise, like MLX's {@code nn.LogSigmoid}: the module form of {@link Activations#logSigmoid}. */
public final class LogSigmoid extends UnaryModule {
    /** A LogSigmoid layer (no parameters). */
    public LogSigmoid() {}

    @Override public Array forward(Array x) { return Activations.logSigmoid(x); }
}
