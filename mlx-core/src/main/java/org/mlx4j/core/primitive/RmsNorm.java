package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * RMS normalization over the last axis without scale, MLX's {@code fast.rms_norm} core:
 * {@code y = x / sqrt(mean(x^2) + eps)} over the last axis, in one kernel (float32 arithmetic for
 * 16-bit inputs). The input is floating and the output has its shape and dtype;
 * {@link org.mlx4j.core.MX#rmsNorm} applies the weight.
 *
 * <p>The Jacobian of each row is {@code r (I - yy'/n)} with {@code r = 1/sqrt(mean(x^2) + eps)}:
 * symmetric, so vjp and jvp share one rule, built from public ops.
 *
 * @param eps added to the mean square (non-negative)
 */
public record RmsNorm(double eps) implements Primitive {
    @Override public String name() { return "RmsNorm"; }

    /** {@code r * (t - y * mean(t * y))} over the last axis, r recomputed from x. */
    private Array apply(Array x, Array y, Array t) {
        int[] last = {-1};
        Array r = rsqrt(add(mean(square(x), last, true), scalar(eps, x.dtype())));
        return multiply(r, subtract(t, multiply(y, mean(multiply(t, y), last, true))));
    }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(apply(primals.get(0), output, cotangent));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        return t == null ? zerosLike(output) : apply(primals.get(0), output, t);
    }
}
