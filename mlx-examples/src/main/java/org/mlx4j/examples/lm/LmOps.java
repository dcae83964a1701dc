package org.mlx4j.examples.lm;

import java.util.Arrays;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * LayerNorm and exact GELU with hand-written gradients ({@link MX#customVjp}). They compute what
 * {@link org.mlx4j.nn.LayerNorm} and {@link org.mlx4j.nn.Activations#gelu} compute, but the backward
 * passes reuse the forward's normalized values (or the GELU's cdf) and take about half the
 * full-size elementwise passes that differentiating the composed ops takes; on our CPU backend,
 * which runs one pass per op, those passes were a third of a training step.
 */
final class LmOps {
    private LmOps() {}

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /**
     * {@code (x - mean) / sqrt(var + eps) * weight + bias} over the last axis (biased variance), x
     * float32 (..., D), weight and bias (D).
     */
    static Array layerNorm(Array x, Array weight, Array bias, double eps) {
        Array[] saved = new Array[2];   // xhat and rstd, kept from the forward for the backward
        var f = MX.customVjp(in -> {
            Array v = in.get(0);
            int[] last = {-1};
            Array xc = MX.subtract(v, MX.mean(v, last, true));
            Array rstd = MX.rsqrt(MX.add(MX.mean(MX.square(xc), last, true), MX.scalarLike(eps, v)));
            Array xhat = MX.multiply(xc, rstd);
            saved[0] = xhat;
            saved[1] = rstd;
            return List.of(MX.add(MX.multiply(xhat, in.get(1)), in.get(2)));
        }, (in, cots, outs) -> {
            Array g = cots.get(0), xhat = saved[0], rstd = saved[1];
            int[] rows = leadingAxes(g.ndim());
            int[] last = {-1};
            Array dxhat = MX.multiply(g, in.get(1));
            Array m1 = MX.mean(dxhat, last, true);
            Array m2 = MX.mean(MX.multiply(dxhat, xhat), last, true);
            // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
            Array dx = MX.multiply(MX.subtract(MX.subtract(dxhat, m1), MX.multiply(xhat, m2)), rstd);
            Array dw = MX.sum(MX.multiply(g, xhat), rows);
            Array db = MX.sum(g, rows);
            return List.of(dx, dw, db);
        });
        return f.apply(List.of(x, weight, bias)).get(0);
    }

    /** Exact GELU, {@code x * Phi(x)}, with the derivative {@code Phi(x) + x * phi(x)} computed from the kept cdf. */
    static Array gelu(Array x) {
        Array[] saved = new Array[1];   // Phi(x)
        var f = MX.customVjp(in -> {
            Array v = in.get(0);
            Array cdf = MX.add(MX.multiply(MX.erf(MX.multiply(v, MX.scalarLike(SQRT_HALF, v))), MX.scalarLike(0.5, v)), MX.scalarLike(0.5, v));
            saved[0] = cdf;
            return List.of(MX.multiply(v, cdf));
        }, (in, cots, outs) -> {
            Array v = in.get(0), g = cots.get(0);
            Array pdf = MX.exp(MX.multiply(MX.square(v), MX.scalarLike(-0.5, v)));
            Array xpdf = MX.multiply(MX.multiply(v, MX.scalarLike(INV_SQRT_2PI, v)), pdf);
            return List.of(MX.multiply(g, MX.add(saved[0], xpdf)));
        });
        return f.apply(List.of(x)).get(0);
    }

    private static int[] leadingAxes(int ndim) {
        int[] a = new int[ndim - 1];
        Arrays.setAll(a, i -> i);
        return a;
    }
}
