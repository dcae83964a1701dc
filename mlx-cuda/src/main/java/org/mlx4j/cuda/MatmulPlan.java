package org.mlx4j.cuda;

/**
 * How a row-major product C[m,n] = A[m,k] B[k,n] of strided views maps onto one column-major cuBLAS
 * call. cuBLAS sees a row-major matrix as its transpose, so we compute C^T = B^T A^T: the call's first
 * operand is B and its second is A, and a view needs no copy when one of its two strides is 1.
 * Pure arithmetic, tested without a GPU.
 */
final class MatmulPlan {
    private MatmulPlan() {}

    /**
     * One operand in the swapped column-major call.
     *
     * @param trans whether cuBLAS must transpose it ({@code CUBLAS_OP_T})
     * @param ld    its leading dimension in elements
     */
    record Operand(boolean trans, long ld) {}

    /**
     * The operand for a row-major {@code rows x cols} view with row stride {@code rs} and column
     * stride {@code cs}, or {@code null} when neither stride is 1 (the caller makes it dense).
     * A row-major view (cs = 1) is, to cuBLAS, the transpose we want: no transpose flag. A
     * column-major view (rs = 1) is the matrix itself: it needs the transpose flag.
     */
    static Operand operand(long rows, long cols, long rs, long cs) {
        if (cols == 1 && rows == 1) return new Operand(false, 1);
        if ((cs == 1 || cols == 1) && (rows == 1 || rs >= cols)) return new Operand(false, Math.max(rows == 1 ? cols : rs, Math.max(1, cols)));
        if ((rs == 1 || rows == 1) && (cols == 1 || cs >= rows)) return new Operand(true, Math.max(cols == 1 ? rows : cs, Math.max(1, rows)));
        return null;
    }

    /**
     * Batch count and per-operand batch strides when every operand's batch axes step uniformly
     * (the batch axes collapse to one), else {@code null}.
     *
     * @param batchDims the output's batch extents
     * @param strides   per operand, its strides on those batch axes (0 for broadcast)
     */
    static long[] batch(int[] batchDims, long[]... strides) {
        long count = 1;
        for (int d : batchDims) count *= d;
        long[] out = new long[strides.length + 1];
        out[0] = count;
        for (int j = 0; j < strides.length; j++) {
            long step = -1; // stride of the innermost axis of size > 1
            long expect = -1;
            for (int i = batchDims.length - 1; i >= 0; i--) {
                if (batchDims[i] == 1) continue;
                if (step < 0) {
                    step = strides[j][i];
                    expect = step * batchDims[i];
                } else {
                    if (strides[j][i] != expect) return null;
                    expect *= batchDims[i];
                }
            }
            out[j + 1] = Math.max(step, 0);
        }
        return out;
    }
}
