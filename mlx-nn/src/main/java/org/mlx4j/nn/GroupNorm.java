package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Group normalization, like MLX's {@code nn.GroupNorm}: the features (last axis) are split into
 * {@code numGroups} groups and each group is normalized with the mean and biased variance over
 * the group's features and all spatial positions, per batch element; then
 * {@code y * weight + bias} per feature. Input (N, ..., dims) with the spatial axes between the
 * batch and the features (for example (N, H, W, C)); output the same shape.
 *
 * <p>The grouping follows MLX: by default feature {@code c} belongs to group {@code c % numGroups}
 * (interleaved, MLX's native layout); with {@code pytorchCompatible} group {@code g} is the
 * contiguous block {@code [g * dims / numGroups, (g + 1) * dims / numGroups)}, as in PyTorch's
 * {@code GroupNorm}. Parameters {@code weight} (dims, ones) and {@code bias} (dims, zeros) when
 * affine. Half-precision inputs are normalized in float32 and cast back.
 */
public final class GroupNorm extends UnaryModule {
    private final int numGroups;
    private final int dims;
    private final double eps;
    private final boolean pytorchCompatible;

    /** A group norm with eps 1e-5, an affine transform and MLX's interleaved grouping. */
    public GroupNorm(int numGroups, int dims) { this(numGroups, dims, 1e-5, true, false); }

    /**
     * A group norm.
     *
     * @param numGroups         the number of groups; must divide {@code dims}
     * @param dims              the number of features (last axis)
     * @param eps               added to the variance (default 1e-5)
     * @param affine            learn a per-feature {@code weight} and {@code bias} (default true)
     * @param pytorchCompatible contiguous groups as PyTorch (default false: interleaved as MLX)
     * @throws IllegalArgumentException if a size is not positive, numGroups does not divide dims,
     *                                  or eps is negative or not finite
     */
    public GroupNorm(int numGroups, int dims, double eps, boolean affine, boolean pytorchCompatible) {
        if (numGroups <= 0 || dims <= 0 || dims % numGroups != 0) {
            throw new IllegalArgumentException("[GroupNorm] numGroups must be positive and divide dims, got numGroups=" + numGroups + " and dims=" + dims + ".");
        }
        this.numGroups = numGroups;
        this.dims = dims;
        this.eps = Norms.checkEps("GroupNorm", eps);
        this.pytorchCompatible = pytorchCompatible;
        if (affine) {
            // MLX registers bias before weight; keep its key order
            registerParameter("bias", MX.zeros(dims));
            registerParameter("weight", MX.ones(dims));
        }
    }

    /** The number of groups. */
    public int numGroups() { return numGroups; }

    /** The number of features. */
    public int dims() { return dims; }

    /** The variance offset. */
    public double eps() { return eps; }

    /** True for PyTorch's contiguous grouping, false for MLX's interleaved one. */
    public boolean pytorchCompatible() { return pytorchCompatible; }

    /**
     * Normalizes each group of each batch element.
     *
     * @throws IllegalArgumentException if {@code x} is not (N, ..., dims) or not floating point
     */
    @Override public Array forward(Array x) {
        if (x.ndim() < 2 || x.dim(-1) != dims || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("[GroupNorm] expected a floating input (N, ..., " + dims + "), got shape " + x.shape() + " of " + x.dtype().mlxName() + ".");
        }
        int n = x.dim(0);
        int spatial = (int) (x.size() / ((long) n * dims));
        int groupSize = dims / numGroups;
        Array y = Norms.inFloat32(x, xf -> {
            // Feature c = i * numGroups + g (interleaved) or g * groupSize + i (contiguous): both are a
            // reshape of the last axis, and the statistics reduce the spatial axis and i.
            Array g = pytorchCompatible
                    ? MX.reshape(xf, n, spatial, numGroups, groupSize)
                    : MX.reshape(xf, n, spatial, groupSize, numGroups);
            int[] axes = pytorchCompatible ? new int[] {1, 3} : new int[] {1, 2};
            Array mean = MX.mean(g, axes, true);
            Array var = MX.var(g, axes, true, 0);
            return MX.reshape(MX.multiply(MX.subtract(g, mean), MX.rsqrt(var.add(eps))), xf.shape().toArray());
        });
        return hasParam("weight") ? MX.add(MX.multiply(y, param("weight")), param("bias")) : y;
    }

    @Override protected String describe() {
        return numGroups + ", " + dims + ", eps=" + eps + ", affine=" + hasParam("weight") + ", pytorchCompatible=" + pytorchCompatible;
    }
}
