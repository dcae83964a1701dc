package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * float32 GEMM: C (m x n, dense, offset co) = A (m x k) * B (k x n), with A and B read through
 * arbitrary row and column strides. This first version is a row-times-panel loop (axpy on dense
 * rows of B); a blocked, packed kernel replaces it.
 */
public final class Gemm {
    private Gemm() {}

    /** C = A * B (C is overwritten). */
    public static void sgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                             MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        boolean bDense = bcs == 1;
        org.mlx4j.core.memory.Buffer tmp = null;
        if (!bDense) {
            tmp = org.mlx4j.core.memory.Allocator.global().allocate((long) k * n * 4);
            MemorySegment t = tmp.segment();
            for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) t.setAtIndex(Elem.F32, (long) p * n + j, b.getAtIndex(Elem.F32, bo + p * brs + j * bcs));
        }
        final MemorySegment bb = bDense ? b : tmp.segment();
        final long bbo = bDense ? bo : 0, bbrs = bDense ? brs : n;
        Parallel.forRange(m, Math.max(1, 16384 / Math.max(1, (long) n * k)), (r0, r1) -> {
            for (long i = r0; i < r1; i++) {
                long crow = co + i * n;
                for (int j = 0; j < n; j++) c.setAtIndex(Elem.F32, crow + j, 0f);
                for (int p = 0; p < k; p++) {
                    float av = a.getAtIndex(Elem.F32, ao + i * ars + p * acs);
                    if (av == 0) continue;
                    if (Simd.ENABLED) {
                        VecF32.axpy(av, bb, bbo + p * bbrs, c, crow, n);
                    } else {
                        long boff = bbo + p * bbrs;
                        for (int j = 0; j < n; j++) c.setAtIndex(Elem.F32, crow + j, c.getAtIndex(Elem.F32, crow + j) + av * bb.getAtIndex(Elem.F32, boff + j));
                    }
                }
            }
        });
        if (tmp != null) tmp.release();
    }
}
