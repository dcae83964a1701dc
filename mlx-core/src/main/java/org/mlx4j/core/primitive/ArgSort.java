package org.mlx4j.core.primitive;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * The indices (uint32) that sort {@code x} ascending along {@code axis}: stable (equal values keep
 * their order), NaN last. Integer-valued, so its derivatives are zero.
 *
 * @param axis the sorted axis, non-negative
 */
public record ArgSort(int axis) implements Primitive {
    @Override public String name() { return "ArgSort"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.nCopies(argnums.length, null);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return org.mlx4j.core.MX.zerosLike(output);
    }
}
