package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * Softmax over the last axis, {@code exp(x - max) / sum(exp(x - max))}, fused into one kernel. The
 * op moves other axes to the end first. The input is floating and the output has its shape and dtype.
 */
public record Softmax() implements Primitive {
    @Override public String name() { return "Softmax"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        // dx = y * (g - sum(g * y))
        Array s = sum(multiply(cotangent, output), new int[] {-1}, true);
        return Collections.singletonList(multiply(output, subtract(cotangent, s)));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        if (t == null) return zerosLike(output);
        Array s = sum(multiply(t, output), new int[] {-1}, true);
        return multiply(output, subtract(t, s));
    }
}
