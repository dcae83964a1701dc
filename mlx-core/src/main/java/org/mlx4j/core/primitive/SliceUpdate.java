package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * A copy of input 0 with the strided region (as in {@link Slice}) replaced by input 1.
 *
 * @param start first index per axis
 * @param stop  exclusive end per axis
 * @param step  step per axis
 */
public record SliceUpdate(int[] start, int[] stop, int[] step) implements Primitive {
    @Override public String name() { return "SliceUpdate"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>();
        for (int a : argnums) {
            if (a == 0) out.add(sliceUpdate(cotangent, zerosLike(primals.get(1)), start, stop, step));
            else out.add(slice(cotangent, start, stop, step));
        }
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t0 = tangents.get(0) == null ? zerosLike(primals.get(0)) : tangents.get(0);
        Array t1 = tangents.get(1) == null ? zerosLike(primals.get(1)) : tangents.get(1);
        return sliceUpdate(t0, t1, start, stop, step);
    }

    @Override public boolean equals(Object o) {
        return o instanceof SliceUpdate s && java.util.Arrays.equals(start, s.start) && java.util.Arrays.equals(stop, s.stop)
                && java.util.Arrays.equals(step, s.step);
    }

    @Override public int hashCode() { return java.util.Arrays.hashCode(start) * 31 + java.util.Arrays.hashCode(step); }
}
