package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * Batched matrix product: (..., M, K) x (..., K, N) -> (..., M, N), with equal batch shapes (the op
 * broadcasts them) and equal floating dtypes.
 */
public record Matmul() implements Primitive {
    @Override public String name() { return "Matmul"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>();
        for (int a : argnums) {
            out.add(a == 0 ? matmul(cotangent, swapaxes(primals.get(1), -1, -2))
                    : matmul(swapaxes(primals.get(0), -1, -2), cotangent));
        }
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array r = null;
        if (tangents.get(0) != null) r = matmul(tangents.get(0), primals.get(1));
        if (tangents.get(1) != null) {
            Array t = matmul(primals.get(0), tangents.get(1));
            r = r == null ? t : add(r, t);
        }
        return r;
    }
}
