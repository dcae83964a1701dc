package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;

/**
 * A strided view of a diagonal: axes {@code axis1} and {@code axis2} are removed and a last axis runs
 * along the diagonal {@code offset} (above the main one when positive), as in NumPy's
 * {@code diagonal}.
 *
 * @param offset which diagonal
 * @param axis1  the row axis, non-negative
 * @param axis2  the column axis, non-negative, not {@code axis1}
 */
public record Diagonal(int offset, int axis1, int axis2) implements Primitive {
    @Override public String name() { return "Diagonal"; }

    /**
     * The cotangent goes back onto the diagonal of zeros: with axis1 and axis2 moved last and merged,
     * a diagonal is the strided range {@code start, start + d2 + 1, ...}, so one sliceUpdate does it.
     */
    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array x = primals.get(0);
        int n = x.ndim();
        int d1 = x.dim(axis1), d2 = x.dim(axis2);
        int len = cotangent.dim(-1);
        if (len == 0) return Collections.singletonList(zerosLike(x));
        int[] perm = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (i != axis1 && i != axis2) perm[k++] = i;
        perm[k++] = axis1;
        perm[k] = axis2;
        int[] flatShape = new int[n - 1];
        for (int i = 0; i < n - 2; i++) flatShape[i] = x.dim(perm[i]);
        flatShape[n - 2] = d1 * d2;
        int[] start = new int[n - 1], stop = flatShape.clone(), step = new int[n - 1];
        java.util.Arrays.fill(step, 1);
        start[n - 2] = offset >= 0 ? offset : -offset * d2;
        step[n - 2] = d2 + 1;
        stop[n - 2] = start[n - 2] + (len - 1) * (d2 + 1) + 1;
        Array z = sliceUpdate(zeros(flatShape, x.dtype()), cotangent, start, stop, step);
        int[] moved = new int[n];
        for (int i = 0; i < n - 2; i++) moved[i] = flatShape[i];
        moved[n - 2] = d1;
        moved[n - 1] = d2;
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) inv[perm[i]] = i;
        return Collections.singletonList(transpose(reshape(z, moved), inv));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return diagonal(tangents.get(0), offset, axis1, axis2);
    }
}
