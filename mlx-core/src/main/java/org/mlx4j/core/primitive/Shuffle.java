package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.ops.Random;

/**
 * {@code x} permuted along {@code axis} by the stable argsort of {@code sortKeys}: with
 * {@code perm = argsort(sortKeys)}, the forward op takes {@code out[..., i, ...] = x[..., perm[i], ...]}
 * (what {@code take(x, argsort(sortKeys), axis)} gives) and the inverse op puts
 * {@code out[..., perm[i], ...] = x[..., i, ...]}. Inputs: {@code sortKeys} (uint32, shape (n,)) and
 * {@code x}; the output is shaped and typed like {@code x}. It is linear in {@code x}: its vjp is the
 * inverse permutation of the cotangent, its jvp the same permutation of the tangent.
 *
 * @param axis    the permuted axis, non-negative
 * @param inverse true for the inverse permutation
 */
public record Shuffle(int axis, boolean inverse) implements Primitive {
    @Override public String name() { return inverse ? "ShuffleInverse" : "Shuffle"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) out.add(a == 1 ? Random.shuffle(primals.get(0), cotangent, axis, !inverse) : null);
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array t = tangents.get(1);
        return t == null ? zerosLike(output) : Random.shuffle(primals.get(0), t, axis, inverse);
    }
}
