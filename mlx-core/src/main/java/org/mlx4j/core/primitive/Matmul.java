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
            Array b = primals.get(1);
            if (a == 0) {
                out.add(matmul(cotangent, swapaxes(b, -1, -2)));
            } else if (b.ndim() == 2 && primals.get(0).ndim() == 2 && b.primitive() instanceof Transpose) {
                // b = W^T (a Linear layer's weight): build d(b) as (g^T a)^T so that the Transpose's own
                // vjp turns it back into a row-major d(W); the optimizer's arithmetic on d(W) and W
                // then runs on two dense, same-layout arrays instead of a transposed one
                out.add(swapaxes(matmul(swapaxes(cotangent, -1, -2), primals.get(0)), -1, -2));
            } else {
                out.add(matmul(swapaxes(primals.get(0), -1, -2), cotangent));
            }
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
