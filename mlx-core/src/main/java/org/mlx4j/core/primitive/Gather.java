package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.ops.Gathering;

/**
 * Gather along an axis ({@code takeAlongAxis}): inputs {@code (x, indices)} with the same number of
 * axes and the same sizes on every axis but {@code axis}; the output has the indices' shape and
 * {@code out[..., j, ...] = x[..., indices[..., j, ...], ...]}.
 *
 * <p>Indices are integers; negative ones count from the end, and the kernel clamps any that are
 * still out of range into {@code [0, size)} (it never reads outside {@code x}).
 *
 * @param axis the gathered axis, non-negative
 */
public record Gather(int axis) implements Primitive {
    @Override public String name() { return "Gather"; }

    /** The cotangent of x adds the output's cotangent back at the gathered positions; indices get none. */
    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) {
            out.add(a == 0 ? Gathering.scatterAlongAxis(zerosLike(primals.get(0)), primals.get(1), cotangent, axis, true) : null);
        }
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        if (tangents.get(0) == null) return zerosLike(output);
        return Gathering.gatherAlongAxis(tangents.get(0), primals.get(1), axis);
    }
}
