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
            case PROD -> multiply(broadcastTo(multiply(cotangent, output), s), reciprocal(x));
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
            case PROD -> multiply(output, sum(divide(t, x), axes, true));
            case MAX, MIN -> {
                Array mask = astype(equal(x, output), t.dtype());
                yield divide(sum(multiply(mask, t), axes, true), sum(mask, axes, true));
            }
            case ALL, ANY -> zerosLike(output);
        };
    }

    @Override public boolean equals(Object o) { return o instanceof Reduce r && r.op == op && java.util.Arrays.equals(axes, r.axes); }
    @Override public int hashCode() { return op.hashCode() * 31 + java.util.Arrays.hashCode(axes); }
}
