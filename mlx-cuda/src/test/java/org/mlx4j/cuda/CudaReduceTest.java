package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.LogSumExp;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.core.primitive.Softmax;
import org.mlx4j.core.primitive.Sort;

/**
 * The reduction family's launch plans, checked without a GPU: the kept/reduced layouts of
 * reductions over non-contiguous views against a direct walk of the view, the line layouts of axis
 * ops, the thread-per-row choice, the sort's limits, and the table registration.
 */
class CudaReduceTest {
    static long offset(long[] shape, long[] strides, long i) {
        long off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return off;
    }

    /**
     * For each output (row-major over the kept axes), the sorted offsets of the elements it reduces,
     * by an odometer over the whole view: element offsets grouped by their kept coordinates.
     */
    static long[][] expectedGroups(int[] dims, long[] strides, int[] axes) {
        boolean[] red = new boolean[dims.length];
        for (int a : axes) red[a] = true;
        long rows = 1, len = 1;
        for (int i = 0; i < dims.length; i++) {
            if (red[i]) len *= dims[i];
            else rows *= dims[i];
        }
        long[][] g = new long[(int) rows][(int) len];
        int[] fill = new int[(int) rows];
        int[] idx = new int[dims.length];
        long total = rows * len;
        for (long e = 0; e < total; e++) {
            long off = 0, row = 0;
            for (int i = 0; i < dims.length; i++) {
                off += idx[i] * strides[i];
                if (!red[i]) row = row * dims[i] + idx[i];
            }
            g[(int) row][fill[(int) row]++] = off;
            for (int i = dims.length - 1; i >= 0; i--) {
                if (++idx[i] < dims[i]) break;
                idx[i] = 0;
            }
        }
        for (long[] r : g) Arrays.sort(r);
        return g;
    }

    static void assertPlanWalksTheView(int[] dims, long[] strides, int... axes) {
        CudaReduce.Plan p = CudaReduce.Plan.of(dims, strides, axes);
        long[][] want = expectedGroups(dims, strides, axes);
        assertEquals(want.length, p.rows(), "rows");
        for (int row = 0; row < want.length; row++) {
            assertEquals(want[row].length, p.len(), "len");
            long base = offset(p.kept().shape(), p.kept().strides(), row);
            long[] got = new long[(int) p.len()];
            for (int r = 0; r < p.len(); r++) got[r] = base + offset(p.red().shape(), p.red().strides(), r);
            Arrays.sort(got);
            assertArrayEquals(want[row], got, "row " + row + " of " + Arrays.toString(dims) + " strides " + Arrays.toString(strides)
                    + " axes " + Arrays.toString(axes) + " via " + p);
        }
    }

    @Test
    void denseReductionOverOuterAndInnerAxes() {
        CudaReduce.Plan p = CudaReduce.Plan.of(new int[] {4, 3, 5}, new long[] {15, 5, 1}, new int[] {0, 2});
        assertEquals(new Layout(new long[] {3}, new long[] {5}), p.kept());
        assertEquals(new Layout(new long[] {4, 5}, new long[] {15, 1}), p.red());
        assertEquals(3, p.rows());
        assertEquals(20, p.len());
        assertPlanWalksTheView(new int[] {4, 3, 5}, new long[] {15, 5, 1}, 0, 2);
    }

    @Test
    void reducedAxesOrderedByStrideMergeAcrossATranspose() {
        // a dense (3, 4, 2) array viewed as (2, 3, 4) by the permutation (2, 0, 1): strides (1, 8, 2)
        int[] dims = {2, 3, 4};
        long[] st = {1, 8, 2};
        CudaReduce.Plan p = CudaReduce.Plan.of(dims, st, new int[] {0, 2});
        assertEquals(new Layout(new long[] {3}, new long[] {8}), p.kept());
        assertEquals(new Layout(new long[] {8}, new long[] {1}), p.red(), "axes 2 then 0 are one dense run of 8");
        assertPlanWalksTheView(dims, st, 0, 2);
        assertPlanWalksTheView(dims, st, 1);
        assertPlanWalksTheView(dims, st, 0, 1, 2);
    }

    @Test
    void fullReductionHasNoKeptAxes() {
        CudaReduce.Plan p = CudaReduce.Plan.of(new int[] {2, 3, 4}, new long[] {12, 4, 1}, new int[] {0, 1, 2});
        assertEquals(0, p.kept().shape().length);
        assertEquals(new Layout(new long[] {24}, new long[] {1}), p.red());
        assertEquals(1, p.rows());
        assertFalse(p.threadPerRow(), "one long dense row: a block");
    }

    @Test
    void stridedSlicedAndBroadcastViewsKeepTheirOffsets() {
        // every other column of a (4, 10) array from an offset: strides (10, 2)
        assertPlanWalksTheView(new int[] {4, 5}, new long[] {10, 2}, 1);
        assertPlanWalksTheView(new int[] {4, 5}, new long[] {10, 2}, 0);
        // a broadcast middle axis, a size-one axis and a transposed pair
        int[] dims = {3, 4, 1, 5, 2};
        long[] st = {1, 0, 7, 6, 3};
        for (int[] axes : new int[][] {{0}, {1}, {3}, {0, 1}, {1, 3}, {0, 2, 4}, {1, 2, 3, 4}, {0, 1, 2, 3, 4}}) {
            assertPlanWalksTheView(dims, st, axes);
        }
        // a size-one reduced axis: nothing left to reduce, one element per output
        CudaReduce.Plan one = CudaReduce.Plan.of(new int[] {3, 1}, new long[] {1, 3}, new int[] {1});
        assertEquals(1, one.len());
        assertEquals(0, one.red().shape().length);
        assertPlanWalksTheView(new int[] {3, 1}, new long[] {1, 3}, 1);
    }

    @Test
    void emptyReductionsHaveZeroLength() {
        CudaReduce.Plan p = CudaReduce.Plan.of(new int[] {3, 0}, new long[] {0, 1}, new int[] {1});
        assertEquals(3, p.rows());
        assertEquals(0, p.len());
        assertTrue(p.threadPerRow());
        CudaReduce.Plan none = CudaReduce.Plan.of(new int[] {0, 4}, new long[] {4, 1}, new int[] {1});
        assertEquals(0, none.rows());
    }

    @Test
    void threadPerRowForShortRowsAndColumnSums() {
        assertTrue(CudaReduce.Plan.of(new int[] {4, 3}, new long[] {1, 4}, new int[] {1}).threadPerRow(), "3 elements per output");
        assertTrue(CudaReduce.Plan.of(new int[] {1000, 64}, new long[] {64, 1}, new int[] {0}).threadPerRow(), "column sums: neighbouring threads, neighbouring columns");
        assertFalse(CudaReduce.Plan.of(new int[] {64, 1000}, new long[] {1000, 1}, new int[] {1}).threadPerRow(), "dense rows: a block each");
        assertFalse(CudaReduce.Plan.of(new int[] {1000, 8}, new long[] {8, 1}, new int[] {0}).threadPerRow(), "8 long columns: too few threads");
    }

    @Test
    void linesOfAnAxisOpSkipTheAxis() {
        int[] dims = {2, 3, 4};
        long[] dense = {12, 4, 1};
        assertEquals(new Layout(new long[] {6}, new long[] {4}), CudaReduce.lines(dims, dense, 2));
        assertEquals(new Layout(new long[] {2, 4}, new long[] {12, 1}), CudaReduce.lines(dims, dense, 1));
        assertEquals(new Layout(new long[] {12}, new long[] {1}), CudaReduce.lines(dims, dense, 0));
        assertEquals(12, CudaReduce.inner(dims, 0));
        assertEquals(4, CudaReduce.inner(dims, 1));
        assertEquals(1, CudaReduce.inner(dims, 2));
        // a transposed view: line i (row-major over the other axes) starts where a direct walk says
        long[] st = {1, 8, 2};
        Layout l = CudaReduce.lines(dims, st, 1);
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 4; c++) assertEquals(a * st[0] + c * st[2], offset(l.shape(), l.strides(), a * 4 + c));
        }
        assertEquals(0, CudaReduce.lines(new int[] {7}, new long[] {1}, 0).shape().length, "a 1-D array is one line at 0");
    }

    @Test
    void sortSharedMemoryFitsTheStaticLimit() {
        assertEquals(2048 * 12, CudaSort.sharedBytes(DType.FLOAT64, 2048));
        assertEquals(2048 * 8, CudaSort.sharedBytes(DType.FLOAT16, 2048));
        assertTrue(CudaSort.sharedBytes(DType.INT64, 2048) <= 48 * 1024, "static shared-memory limit");
    }

    @Test
    void theTableRegistersTheFamily() {
        Set<?> p = CudaKernels.standard().primitives();
        for (Class<?> c : new Class<?>[] {Reduce.class, ArgReduce.class, Softmax.class, LogSumExp.class, Scan.class, Sort.class, ArgSort.class, ArgPartition.class}) {
            assertTrue(p.contains(c), c.getSimpleName());
        }
    }
}
