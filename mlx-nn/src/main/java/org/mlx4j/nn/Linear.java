package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * {@code y = x W^T + b}, like MLX's {@code nn.Linear}: weight (outputDims, inputDims), bias (outputDims).
 * Both start uniform in {@code [-1/sqrt(inputDims), 1/sqrt(inputDims)]}, MLX's (and PyTorch's) default.
 * Input (..., inputDims), output (..., outputDims).
 */
public final class Linear extends UnaryModule {
    private final int inputDims;
    private final int outputDims;

    /** A linear layer with a bias. */
    public Linear(int inputDims, int outputDims) { this(inputDims, outputDims, true); }

    /**
     * A linear layer.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public Linear(int inputDims, int outputDims, boolean bias) {
        if (inputDims <= 0 || outputDims <= 0) {
            throw new IllegalArgumentException("[Linear] sizes must be positive, got inputDims=" + inputDims + " and outputDims=" + outputDims + ".");
        }
        this.inputDims = inputDims;
        this.outputDims = outputDims;
        double scale = Math.sqrt(1.0 / inputDims);
        registerParameter("weight", MX.uniform(-scale, scale, new int[] {outputDims, inputDims}));
        if (bias) registerParameter("bias", MX.uniform(-scale, scale, new int[] {outputDims}));
    }

    /** The weight, (outputDims, inputDims). */
    public Array weight() { return param("weight"); }

    /** The bias (outputDims), or {@code null} without one. */
    public Array bias() { return hasParam("bias") ? param("bias") : null; }

    /** Input features. */
    public int inputDims() { return inputDims; }

    /** Output features. */
    public int outputDims() { return outputDims; }

    @Override public Array forward(Array x) {
        if (x.ndim() == 0 || x.dim(-1) != inputDims) {
            throw new IllegalArgumentException("[Linear] expected input (..., " + inputDims + "), got shape " + x.shape() + ".");
        }
        Array wt = MX.transpose(weight());
        return hasParam("bias") ? MX.addmm(bias(), x, wt) : MX.matmul(x, wt);
    }

    @Override protected String describe() {
        return "inputDims=" + inputDims + ", outputDims=" + outputDims + ", bias=" + hasParam("bias");
    }
}
