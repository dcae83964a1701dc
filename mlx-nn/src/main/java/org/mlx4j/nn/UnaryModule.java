package org.mlx4j.nn;

import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * A module with one input and one output, the kind {@link Sequential} chains: most layers and
 * activations, and most user models.
 */
public abstract class UnaryModule extends Module implements UnaryOperator<Array> {
    /** For subclasses. */
    protected UnaryModule() {}

    /**
     * The forward pass: builds the output graph lazily from the current parameters.
     *
     * @throws IllegalArgumentException prefixed with the layer's name when {@code x} has the wrong shape
     */
    public abstract Array forward(Array x);

    /** Same as {@link #forward(Array)}, so a module can be passed where a function is expected. */
    @Override public final Array apply(Array x) { return forward(x); }
}
