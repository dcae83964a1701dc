package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * A strided view: along axis i, elements {@code start[i], start[i]+step[i], ...} before {@code stop[i]}
 * (steps may be negative, as in NumPy; starts and stops are already normalized).
 *
 * @param start first index per axis
 * @param stop  exclusive end per axis
 * @param step  step per axis (nonzero)
 */
public record Slice(int[] start, int[] stop, int[] step) implements Primitive {
    @Override public String name() { return "Slice"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array x = primals.get(0);
        return Collections.singletonList(sliceUpdate(zerosLike(x), cotangent, start, stop, step));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return slice(tangents.get(0), start, stop, step);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Slice s && java.util.Arrays.equals(start, s.start) && java.util.Arrays.equals(stop, s.stop)
                && java.util.Arrays.equals(step, s.step);
    }

    @Override public int hashCode() { return java.util.Arrays.hashCode(start) * 31 + java.util.Arrays.hashCode(step); }
}
