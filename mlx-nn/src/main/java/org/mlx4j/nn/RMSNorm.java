package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * Root-mean-square normalization over the last axis, like MLX's {@code nn.RMSNorm}:
 * {@code y = x / sqrt(mean(x^2) + eps) * weight}, parameter {@code weight} (dims, ones). Input
 * (..., dims), output the same shape. Half-precision inputs are normalized in float32 and cast
 * back, as MLX accumulates the mean in float32.
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
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("[RMSNorm] eps must be finite and non-negative, got " + eps + ".");
        this.dims = dims;
        this.eps = eps;
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
        if (x.ndim() == 0 || x.dim(-1) != dims || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("[RMSNorm] expected a floating input (..., " + dims + "), got shape " + x.shape() + " of " + x.dtype().mlxName() + ".");
        }
        DType dt = x.dtype();
        Array xf = dt.size() < 4 ? MX.astype(x, DType.FLOAT32) : x;
        Array ms = MX.mean(MX.square(xf), new int[] {-1}, true);
        Array y = MX.multiply(xf, MX.rsqrt(ms.add(eps)));
        if (xf != x) y = MX.astype(y, dt);
        return MX.multiply(y, param("weight"));
    }

    @Override protected String describe() { return dims + ", eps=" + eps; }
}
