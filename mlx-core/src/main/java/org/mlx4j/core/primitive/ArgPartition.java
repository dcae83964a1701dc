package org.mlx4j.core.primitive;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * Indices (uint32) that partition {@code x} along {@code axis} around its {@code kth} smallest
 * element: position kth holds the index of the element a sort would put there, positions before it
 * index elements that are not larger, positions after it elements that are not smaller (NaN counts
 * as largest). Ties are broken by index, so the result is deterministic. Integer-valued, so its
 * derivatives are zero.
 *
 * @param kth  the pivot position, {@code 0 <= kth < x.dim(axis)}
 * @param axis the partitioned axis, non-negative
 */
public record ArgPartition(int kth, int axis) implements Primitive {
    @Override public String name() { return "ArgPartition"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.nCopies(argnums.length, null);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return org.mlx4j.core.MX.zerosLike(output);
    }
}
