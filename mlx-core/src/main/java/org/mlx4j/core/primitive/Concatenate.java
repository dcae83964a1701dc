package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * The inputs joined along {@code axis}. All inputs have the output's dtype and number of axes and
 * agree on every axis but {@code axis} (the op checked and promoted them).
 *
 * @param axis the joining axis, non-negative
 */
public record Concatenate(int axis) implements Primitive {
    @Override public String name() { return "Concatenate"; }

    /** The cotangent of input i is the slab of the output's cotangent that input i filled. */
    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        int[] begin = new int[primals.size() + 1];
        for (int i = 0; i < primals.size(); i++) begin[i + 1] = begin[i] + primals.get(i).dim(axis);
        int n = cotangent.ndim();
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) {
            int[] start = new int[n], stop = cotangent.shape().toArray(), step = new int[n];
            java.util.Arrays.fill(step, 1);
            start[axis] = begin[a];
            stop[axis] = begin[a + 1];
            out.add(slice(cotangent, start, stop, step));
        }
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array[] ts = new Array[primals.size()];
        for (int i = 0; i < ts.length; i++) ts[i] = tangents.get(i) == null ? zerosLike(primals.get(i)) : tangents.get(i);
        return concatenate(ts, axis);
    }
}
