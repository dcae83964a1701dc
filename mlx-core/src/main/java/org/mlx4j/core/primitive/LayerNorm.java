package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * Layer normalization over the last axis without scale or shift, MLX's {@code fast.layer_norm}
 * core: {@code y = (x - mean) / sqrt(var + eps)}, mean and biased variance over the last axis, in
 * one kernel (float32 arithmetic for 16-bit inputs, double on the CPU's reference path). The input
 * is floating and the output has its shape and dtype; {@link org.mlx4j.core.MX#layerNorm} applies
 * the weight and bias.
 *
 * <p>The Jacobian of each row is {@code r (I - 11'/n - yy'/n)} with {@code r = 1/sqrt(var + eps)}:
 * symmetric, so vjp and jvp share {@link #apply}'s rule, built from public ops (and so
 * differentiable again).
 *
 * @param eps added to the variance (non-negative)
 */
public record LayerNorm(double eps) implements Primitive {
    @Override public String name() { return "LayerNorm"; }

    /** {@code r * (t - mean(t) - y * mean(t * y))} over the last axis, r recomputed from x. */
    private Array apply(Array x, Array y, Array t) {
        int[] last = {-1};
        Array r = rsqrt(add(var(x, last, true, 0), scalar(eps, x.dtype())));
        Array centred = subtract(t, mean(t, last, true));
        return multiply(r, subtract(centred, multiply(y, mean(multiply(t, y), last, true))));
    }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(apply(primals.get(0), output, cotangent));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        return t == null ? zerosLike(output) : apply(primals.get(0), output, t);
    }
}
