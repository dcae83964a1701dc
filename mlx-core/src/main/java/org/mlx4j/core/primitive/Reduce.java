package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * A reduction over {@code axes}; the output keeps the reduced axes with size one (the op squeezes
 * them unless keepDims).
 *
 * @param op   which reduction
 * @param axes the reduced axes, ascending and non-negative
 */
public record Reduce(ReduceOp op, int[] axes) implements Primitive {
    @Override public String name() { return "Reduce." + op; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array x = primals.get(0);
        int[] s = x.shape().dims();
        Array r = switch (op) {
            case SUM -> broadcastTo(cotangent, s);
            case PROD -> multiply(broadcastTo(cotangent, s), othersProduct(x, axes));
            case MAX, MIN -> {
                Array mask = astype(equal(x, output), cotangent.dtype());
                yield divide(multiply(mask, cotangent), sum(mask, axes, true));
            }
            case ALL, ANY -> null;
        };
        return Collections.singletonList(r);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array x = primals.get(0);
        Array t = tangents.get(0);
        return switch (op) {
            case SUM -> sum(t, axes, true);
            case PROD -> sum(multiply(t, othersProduct(x, axes)), axes, true);
            case MAX, MIN -> {
                Array mask = astype(equal(x, output), t.dtype());
                yield divide(sum(multiply(mask, t), axes, true), sum(mask, axes, true));
            }
            case ALL, ANY -> zerosLike(output);
        };
    }

    /**
     * For each element, the product of the other elements of its reduced group: exclusive cumulative
     * products from both ends, so zeros need no division (the product's derivative).
     */
    static Array othersProduct(Array x, int[] axes) {
        int n = x.ndim();
        boolean[] red = new boolean[n];
        for (int a : axes) red[a] = true;
        int[] perm = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (!red[i]) perm[k++] = i;
        int kept = k;
        for (int i = 0; i < n; i++) if (red[i]) perm[k++] = i;
        Array xt = transpose(x, perm);
        int[] td = xt.shape().dims();
        int[] flat = java.util.Arrays.copyOf(td, kept + 1);
        int group = 1;
        for (int i = kept; i < n; i++) group *= td[i];
        flat[kept] = group;
        Array f = reshape(xt, flat);
        Array others = multiply(cumprod(f, -1, false, false), cumprod(f, -1, true, false));
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) inv[perm[i]] = i;
        return transpose(reshape(others, td), inv);
    }

    @Override public boolean equals(Object o) { return o instanceof Reduce r && r.op == op && java.util.Arrays.equals(axes, r.axes); }
    @Override public int hashCode() { return op.hashCode() * 31 + java.util.Arrays.hashCode(axes); }
}
