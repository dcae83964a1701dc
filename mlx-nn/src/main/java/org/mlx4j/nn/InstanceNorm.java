package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Instance normalization, like MLX's {@code nn.InstanceNorm}: each feature of each batch element
 * is normalized with its mean and biased variance over the spatial axes (all axes between the
 * first and the last), then, when affine, {@code y * weight + bias} per feature. Input
 * (N, ..., dims) with at least one spatial axis, for example (N, L, C) or (N, H, W, C); output the
 * same shape. Parameters {@code weight} (dims, ones) and {@code bias} (dims, zeros) only when
 * affine (default false).
 */
public final class InstanceNorm extends UnaryModule {
    private final int dims;
    private final double eps;

    /** An instance norm with eps 1e-5 and no affine transform. */
    public InstanceNorm(int dims) { this(dims, 1e-5, false); }

    /**
     * An instance norm.
     *
     * @param dims   the number of features (last axis)
     * @param eps    added to the variance (default 1e-5)
     * @param affine learn a per-feature {@code weight} and {@code bias} (default false)
     * @throws IllegalArgumentException if dims is not positive or eps is negative or not finite
     */
    public InstanceNorm(int dims, double eps, boolean affine) {
        if (dims <= 0) throw new IllegalArgumentException("[InstanceNorm] dims must be positive, got " + dims + ".");
        this.dims = dims;
        this.eps = Norms.checkEps("InstanceNorm", eps);
        if (affine) {
            registerParameter("weight", MX.ones(dims));
            registerParameter("bias", MX.zeros(dims));
        }
    }

    /** The number of features. */
    public int dims() { return dims; }

    /** The variance offset. */
    public double eps() { return eps; }

    /**
     * Normalizes each feature of each batch element over the spatial axes.
     *
     * @throws IllegalArgumentException if {@code x} is not (N, ..., dims) with a spatial axis, or not floating point
     */
    @Override public Array forward(Array x) {
        // MLX accepts 2-D input too, but with no spatial axis every output would be 0: reject it
        if (x.ndim() < 3 || x.dim(-1) != dims || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("[InstanceNorm] expected a floating input (N, ..., " + dims + ") with at least one spatial axis, got shape "
                    + x.shape() + " of " + x.dtype().mlxName() + ".");
        }
        int[] axes = new int[x.ndim() - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        Array mean = MX.mean(x, axes, true);
        Array var = MX.var(x, axes, true, 0);
        Array y = MX.multiply(MX.subtract(x, mean), MX.rsqrt(var.add(eps)));
        return hasParam("weight") ? MX.add(MX.multiply(y, param("weight")), param("bias")) : y;
    }

    @Override protected String describe() { return dims + ", eps=" + eps + ", affine=" + hasParam("weight"); }
}
