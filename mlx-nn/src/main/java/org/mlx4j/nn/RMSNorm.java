package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Root-mean-square normalization over the last axis, like MLX's {@code nn.RMSNorm}:
 * {@code y = x / sqrt(mean(x^2) + eps) * weight}, parameter {@code weight} (dims, ones). Input
 * (..., dims), output the same shape. One fused node ({@link MX#rmsNorm}), which normalizes
 * half-precision inputs in float32 arithmetic, as MLX does.
 */
public final class RMSNorm extends UnaryModule {
    private final int dims;
    private final double eps;

    /** An RMS norm with eps 1e-5. */
    public RMSNorm(int dims) { this(dims, 1e-5); }

    /**
     * An RMS norm.
     *
     * @param dims the size of the last axis
     * @param eps  added to the mean square (default 1e-5)
     * @throws IllegalArgumentException if dims is not positive or eps is negative or not finite
     */
    public RMSNorm(int dims, double eps) {
        if (dims <= 0) throw new IllegalArgumentException("[RMSNorm] dims must be positive, got " + dims + ".");
        this.dims = dims;
        this.eps = Norms.checkEps("RMSNorm", eps);
        registerParameter("weight", MX.ones(dims));
    }

    /** The normalized size. */
    public int dims() { return dims; }

    /** The offset added to the mean square. */
    public double eps() { return eps; }

    /**
     * Normalizes over the last axis.
     *
     * @throws IllegalArgumentException if {@code x} is not (..., dims) or not floating point
     */
    @Override public Array forward(Array x) {
        Norms.checkLastAxis("RMSNorm", x, dims);
        return MX.rmsNorm(x, param("weight"), eps);
    }

    @Override protected String describe() { return dims + ", eps=" + eps; }
}
