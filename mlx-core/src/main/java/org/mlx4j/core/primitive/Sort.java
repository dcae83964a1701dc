package org.mlx4j.core.primitive;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.ops.Gathering;
import org.mlx4j.core.ops.Sorting;

/**
 * The values of {@code x} sorted ascending along {@code axis}, NaN last. Its derivatives route
 * through the stable {@link ArgSort} permutation: the vjp scatter-adds the cotangent back
 * ({@link Scatter}), the jvp gathers the tangent ({@link Gather}).
 *
 * @param axis the sorted axis, non-negative
 */
public record Sort(int axis) implements Primitive {
    @Override public String name() { return "Sort"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array x = primals.get(0);
        Array idx = Sorting.argsort(x, axis);
        return Collections.singletonList(Gathering.scatterAlongAxis(org.mlx4j.core.MX.zerosLike(x), idx, cotangent, axis, true));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(0);
        if (t == null) return org.mlx4j.core.MX.zerosLike(output);
        return Gathering.gatherAlongAxis(t, Sorting.argsort(primals.get(0), axis), axis);
    }
}
