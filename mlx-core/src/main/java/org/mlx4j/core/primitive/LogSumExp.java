package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * {@code log(sum(exp(x)))} over the last axis, computed stably around the row maximum; the output
 * keeps that axis with size one. A row of all {@code -inf} gives {@code -inf}; a row holding
 * {@code +inf} gives {@code +inf}. The op moves and merges other axes to the end first.
 */
public record LogSumExp() implements Primitive {
    @Override public String name() { return "LogSumExp"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(multiply(cotangent, softmax(primals.get(0), -1)));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        if (t == null) return zerosLike(output);
        return sum(multiply(t, softmax(primals.get(0), -1)), new int[] {-1}, true);
    }
}
