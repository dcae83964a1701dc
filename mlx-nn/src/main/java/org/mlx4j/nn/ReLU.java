package org.mlx4j.nn;

import org.mlx4j.core.Array;

/** The module form of {@link Activations#relu}. */
public final class ReLU extends UnaryModule {
    /** A ReLU layer. */
    public ReLU() {}

    @Override public Array forward(Array x) { return Activations.relu(x); }
}
