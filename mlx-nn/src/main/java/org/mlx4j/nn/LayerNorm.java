package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Layer normalization over the last axis, like MLX's {@code nn.LayerNorm}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the mean and the biased variance
 * taken over the last axis of each position. Parameters {@code weight} (dims, ones) and
 * {@code bias} (dims, zeros), present only when affine (and, for the bias, when {@code bias}).
 * Input (..., dims), output the same shape. One fused node ({@link MX#layerNorm}), which
 * normalizes half-precision inputs in float32 arithmetic, as MLX's fused kernel does.
 */
public final class LayerNorm extends UnaryModule {
    private final int dims;
    private final double eps;

    /** A layer norm with eps 1e-5, a weight and a bias. */
    public LayerNorm(int dims) { this(dims, 1e-5, true, true); }

    /** A layer norm with a weight and a bias. */
    public LayerNorm(int dims, double eps) { this(dims, eps, true, true); }

    /**
     * A layer norm.
     *
     * @param dims   the size of the last axis
     * @param eps    added to the variance (default 1e-5)
     * @param affine learn a per-feature scale {@code weight} (default true)
     * @param bias   with {@code affine}, also learn a per-feature shift {@code bias} (default true)
     * @throws IllegalArgumentException if dims is not positive or eps is negative or not finite
     */
    public LayerNorm(int dims, double eps, boolean affine, boolean bias) {
        if (dims <= 0) throw new IllegalArgumentException("[LayerNorm] dims must be positive, got " + dims + ".");
        this.dims = dims;
        this.eps = Norms.checkEps("LayerNorm", eps);
        if (affine) {
            registerParameter("weight", MX.ones(dims));
            if (bias) registerParameter("bias", MX.zeros(dims));
        }
    }

    /** The normalized size. */
    public int dims() { return dims; }

    /** The variance offset. */
    public double eps() { return eps; }

    /**
     * Normalizes over the last axis.
     *
     * @throws IllegalArgumentException if {@code x} is not (..., dims) or not floating point
     */
    @Override public Array forward(Array x) {
        Norms.checkLastAxis("LayerNorm", x, dims);
        return MX.layerNorm(x, hasParam("weight") ? param("weight") : null, hasParam("bias") ? param("bias") : null, eps);
    }

    @Override protected String describe() {
        return dims + ", eps=" + eps + ", affine=" + hasParam("weight") + ", bias=" + hasParam("bias");
    }
}
