package org.mlx4j.core.primitive;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.ops.Sorting;

/**
 * Scatter-add along one axis, the transpose of {@link GatherAxis}: the output (shaped like
 * {@code updates} but with {@code size} along {@code axis}) starts at zero and
 * {@code out[..., indices[..., i, ...], ...] += updates[..., i, ...]}. Inputs: {@code updates} and
 * integer {@code indices} of the same shape.
 *
 * @param axis the scattered axis, non-negative
 * @param size the output's length along {@code axis}
 */
public record ScatterAddAxis(int axis, int size) implements Primitive {
    @Override public String name() { return "ScatterAddAxis"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) out.add(a == 0 ? Sorting.gatherAxis(cotangent, primals.get(1), axis) : null);
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        return t == null ? org.mlx4j.core.MX.zerosLike(output) : Sorting.scatterAddAxis(t, primals.get(1), axis, size);
    }
}
