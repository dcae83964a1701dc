package org.mlx4j.core.primitive;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.ops.Sorting;

/**
 * Gather along one axis: {@code out[..., i, ...] = x[..., indices[..., i, ...], ...]} (NumPy's
 * {@code take_along_axis} without broadcasting). Inputs: {@code x} and integer {@code indices} of
 * the output's shape, which matches x's except along {@code axis}. The sort family uses it for
 * its gradients; it is to be unified with the shape family's {@code takeAlongAxis}.
 *
 * @param axis the gathered axis, non-negative
 */
public record GatherAxis(int axis) implements Primitive {
    @Override public String name() { return "GatherAxis"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) {
            out.add(a == 0 ? Sorting.scatterAddAxis(cotangent, primals.get(1), axis, primals.get(0).dim(axis)) : null);
        }
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        return t == null ? org.mlx4j.core.MX.zerosLike(output) : Sorting.gatherAxis(t, primals.get(1), axis);
    }
}
