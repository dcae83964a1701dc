package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.transpose;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * A view with permuted axes: output axis i is input axis {@code perm[i]}.
 *
 * @param perm the permutation
 */
public record Transpose(int[] perm) implements Primitive {
    @Override public String name() { return "Transpose"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return Collections.singletonList(transpose(cotangent, inv));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return transpose(tangents.get(0), perm);
    }

    @Override public boolean equals(Object o) { return o instanceof Transpose t && java.util.Arrays.equals(perm, t.perm); }
    @Override public int hashCode() { return java.util.Arrays.hashCode(perm); }
}
