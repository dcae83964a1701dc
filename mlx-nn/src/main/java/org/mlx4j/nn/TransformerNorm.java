package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Layer normalization over the last axis for the transformer layers, with MLX's {@code LayerNorm}
 * semantics and keys: {@code (x - mean) / sqrt(var + eps) * weight + bias}, weight ones, bias
 * zeros, eps 1e-5. Package-private stand-in, to be replaced by the public LayerNorm when merged.
 */
final class TransformerNorm extends UnaryModule {
    private static final double EPS = 1e-5;
    private final int dims;

    TransformerNorm(int dims) {
        this.dims = dims;
        registerParameter("weight", MX.ones(dims));
        registerParameter("bias", MX.zeros(dims));
    }

    @Override public Array forward(Array x) {
        if (x.ndim() == 0 || x.dim(-1) != dims) {
            throw new IllegalArgumentException("[LayerNorm] expected input (..., " + dims + "), got shape " + x.shape() + ".");
        }
        int[] last = {-1};
        Array mean = MX.mean(x, last, true);
        Array var = MX.var(x, last, true, 0);
        Array normed = MX.multiply(MX.subtract(x, mean), MX.rsqrt(MX.add(var, MX.scalarLike(EPS, var))));
        return MX.add(MX.multiply(normed, param("weight")), param("bias"));
    }

    @Override protected String describe() { return dims + ", eps=" + EPS + ", affine=true"; }
}
