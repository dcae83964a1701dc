package org.mlx4j.nn;

import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/** What the normalization layers share: the eps check, the last-axis input check and MLX's float32 statistics. */
final class Norms {
    private Norms() {}

    /**
     * Returns {@code eps} after checking it is finite and non-negative.
     *
     * @throws IllegalArgumentException ({@code [layer]}) otherwise
     */
    static double checkEps(String layer, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("[" + layer + "] eps must be finite and non-negative, got " + eps + ".");
        return eps;
    }

    /**
     * Checks that {@code x} is floating point and shaped (..., dims).
     *
     * @throws IllegalArgumentException ({@code [layer]}) otherwise
     */
    static void checkLastAxis(String layer, Array x, int dims) {
        if (x.ndim() == 0 || x.dim(-1) != dims || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("[" + layer + "] expected a floating input (..., " + dims + "), got shape " + x.shape() + " of " + x.dtype().mlxName() + ".");
        }
    }

    /**
     * {@code normalize(x)}, computed in float32 when {@code x} is a narrower float (float16,
     * bfloat16) and cast back to its dtype, as MLX's normalizations do.
     */
    static Array inFloat32(Array x, UnaryOperator<Array> normalize) {
        DType dt = x.dtype();
        if (dt.size() >= 4) return normalize.apply(x);
        return MX.astype(normalize.apply(MX.astype(x, DType.FLOAT32)), dt);
    }
}
