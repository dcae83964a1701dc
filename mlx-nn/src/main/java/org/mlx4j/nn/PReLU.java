package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Parametric ReLU {@code max(x, 0) + weight * min(x, 0)}, like MLX's {@code nn.PReLU}: a learnable
 * parameter {@code weight} of shape (numParameters), initialized to {@code init} (MLX's defaults:
 * one parameter, 0.25). With more than one parameter, the weight applies along the last axis of the
 * input (the channels, channels-last), so inputs are (..., numParameters).
 */
public final class PReLU extends UnaryModule {
    private final int numParameters;

    /** A PReLU with one shared slope starting at 0.25. */
    public PReLU() { this(1, 0.25); }

    /** A PReLU with {@code numParameters} slopes starting at 0.25. */
    public PReLU(int numParameters) { this(numParameters, 0.25); }

    /**
     * A PReLU with {@code numParameters} slopes starting at {@code init}.
     *
     * @throws IllegalArgumentException if {@code numParameters} is not positive
     */
    public PReLU(int numParameters, double init) {
        if (numParameters <= 0) {
            throw new IllegalArgumentException("[PReLU] numParameters must be positive, got " + numParameters + ".");
        }
        this.numParameters = numParameters;
        registerParameter("weight", MX.full(new int[] {numParameters}, init));
    }

    /** The slopes, (numParameters). */
    public Array weight() { return param("weight"); }

    /** The number of slopes. */
    public int numParameters() { return numParameters; }

    /**
     * Applies the parametric ReLU.
     *
     * @throws IllegalArgumentException ({@code [PReLU]}) if there are several slopes and the last
     *                                  axis of {@code x} is not of size numParameters
     */
    @Override public Array forward(Array x) {
        if (numParameters > 1 && (x.ndim() == 0 || x.dim(-1) != numParameters)) {
            throw new IllegalArgumentException("[PReLU] expected input (..., " + numParameters + "), got shape " + x.shape() + ".");
        }
        return Activations.prelu(x, weight());
    }

    @Override protected String describe() { return "numParameters=" + numParameters; }
}
