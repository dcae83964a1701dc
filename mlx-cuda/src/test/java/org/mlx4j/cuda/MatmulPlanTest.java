package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The row-major to column-major mapping of matmul operands, checked by a reference walk. */
class MatmulPlanTest {
    /** Element (i, j) of op(X) as cuBLAS reads it, for a column-major X with leading dimension ld. */
    static long cublasOffset(MatmulPlan.Operand o, long i, long j) {
        // op(X)[i][j] = trans ? X[j][i] : X[i][j]; X column-major: X[r][c] at r + c * ld
        return o.trans() ? j + i * o.ld() : i + j * o.ld();
    }

    /**
     * In the swapped call the first operand is B and cuBLAS reads op(B')[i][j] as B^T[i][j] = B[j][i]
     * (row-major B: j * rs + i * cs). Check that every element lands where the view keeps it.
     */
    static void assertMaps(long rows, long cols, long rs, long cs) {
        MatmulPlan.Operand o = MatmulPlan.operand(rows, cols, rs, cs);
        assertNotNull(o, rows + "x" + cols + " strides " + rs + "," + cs);
        for (long r = 0; r < rows; r++) {
            for (long c = 0; c < cols; c++) {
                // cuBLAS wants op(X') with X' = X^T: op(X')[c][r] must be X[r][c]
                assertEquals(r * rs + c * cs, cublasOffset(o, c, r), "element (" + r + "," + c + ") of " + rows + "x" + cols + " strides " + rs + "," + cs);
            }
        }
        assertTrue(o.ld() >= Math.max(1, o.trans() ? rows : cols), "cuBLAS requires ld >= the stored rows: " + o);
    }

    @Test
    void rowMajorNeedsNoTranspose() {
        assertMaps(3, 4, 4, 1);
        assertFalse(MatmulPlan.operand(3, 4, 4, 1).trans());
        assertEquals(4, MatmulPlan.operand(3, 4, 4, 1).ld());
    }

    @Test
    void paddedRowsKeepTheirPitch() {
        assertMaps(3, 4, 10, 1);
        assertEquals(10, MatmulPlan.operand(3, 4, 10, 1).ld());
    }

    @Test
    void transposedViewsUseTheTransposeFlag() {
        assertMaps(3, 4, 1, 3);
        assertTrue(MatmulPlan.operand(3, 4, 1, 3).trans());
        assertMaps(5, 2, 1, 8);
    }

    @Test
    void vectorsAndBroadcastRows() {
        assertMaps(1, 4, 0, 1);
        assertMaps(4, 1, 1, 0);
        assertMaps(1, 1, 0, 0);
    }

    @Test
    void generalStridesNeedACopy() {
        assertNull(MatmulPlan.operand(3, 4, 8, 2));
        assertNull(MatmulPlan.operand(3, 4, 0, 1 + 0 * 4 + 2));
    }

    @Test
    void uniformBatchesCollapse() {
        // batch (2, 3) of 4x5 matrices, dense: strides 60, 20
        long[] b = MatmulPlan.batch(new int[] {2, 3}, new long[] {60, 20}, new long[] {0, 0});
        assertArrayEquals(new long[] {6, 20, 0}, b);
        // a broadcast outer axis with a real inner one does not collapse
        assertNull(MatmulPlan.batch(new int[] {2, 3}, new long[] {0, 20}));
        // size-1 axes are ignored
        assertArrayEquals(new long[] {3, 20}, MatmulPlan.batch(new int[] {1, 3}, new long[] {999, 20}));
        assertArrayEquals(new long[] {1, 0}, MatmulPlan.batch(new int[] {}, new long[] {}));
    }
}
