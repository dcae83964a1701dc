package org.mlx4j.core.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/**
 * The GEMM driver with every micro-kernel (scalar fallback and each Vector API tile), read through
 * row-major, transposed, strided, negative and zero strides, against a double-precision loop.
 */
class GemmKernelTest {
    private static List<Gemm.Impl> f32Impls() {
        List<Gemm.Impl> l = new ArrayList<>(List.of(new Gemm.ScalarF32()));
        if (Simd.ENABLED) l.addAll(List.of(new GemmVec.F32x4(), new GemmVec.F32x6(), new GemmVec.F32x8()));
        return l;
    }

    private static List<Gemm.Impl> f64Impls() {
        List<Gemm.Impl> l = new ArrayList<>(List.of(new Gemm.ScalarF64()));
        if (Simd.ENABLED) l.addAll(List.of(new GemmVec.F64x4(), new GemmVec.F64x6(), new GemmVec.F64x8()));
        return l;
    }

    /** m, n, k. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {13, 17, 29}, {5, 3, 0}, {0, 4, 3}, {4, 0, 3}, {1, 70, 40}, {37, 1, 50}, {100, 3, 2},
        {2, 100, 300}, {200, 70, 300}, {25, 33, 513},
    };

    /** Layouts of a rows x cols operand inside a larger buffer: {offset, rowStride, colStride} as a function of shape. */
    private enum Layout { ROW_MAJOR, TRANSPOSED, STRIDED, NEGATIVE, BROADCAST_ROW }

    private static long[] layout(Layout l, int rows, int cols) {
        return switch (l) {
            case ROW_MAJOR -> new long[] {0, cols, 1};
            case TRANSPOSED -> new long[] {0, 1, rows};
            case STRIDED -> new long[] {3, 2L * cols + 5, 2};
            case NEGATIVE -> new long[] {(long) (rows - 1) * cols + cols - 1, -cols, -1};
            case BROADCAST_ROW -> new long[] {1, 0, 1};
        };
    }

    private static long extent(long[] l, int rows, int cols) {
        long max = l[0];
        if (rows > 0 && cols > 0) max += Math.max(0, (rows - 1) * l[1]) + Math.max(0, (cols - 1) * l[2]);
        return max + 8;
    }

    @Test
    void everyKernelEveryLayoutFloat32() {
        for (Gemm.Impl impl : f32Impls()) check(impl, false);
    }

    @Test
    void everyKernelEveryLayoutFloat64() {
        for (Gemm.Impl impl : f64Impls()) check(impl, true);
    }

    private void check(Gemm.Impl impl, boolean f64) {
        Random r = new Random(7);
        int es = f64 ? 8 : 4;
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            boolean big = (long) m * n * k > 100_000;
            for (Layout la : Layout.values()) {
                for (Layout lb : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED, Layout.STRIDED, Layout.NEGATIVE}) {
                    // large products: the plain layouts only (the strided paths are the same code)
                    if (big && (la.ordinal() > 1 || lb.ordinal() > 1)) continue;
                    long[] pa = layout(la, m, k), pb = layout(lb, k, n);
                    long ea = extent(pa, m, k), eb = extent(pb, k, n);
                    Buffer a = Allocator.global().allocate(ea * es), b = Allocator.global().allocate(eb * es);
                    Buffer c = Allocator.global().allocate(((long) m * n + 2) * es);
                    try {
                        fill(a.segment(), ea, f64, r);
                        fill(b.segment(), eb, f64, r);
                        // sentinel after C: must stay untouched
                        set(c.segment(), f64, (long) m * n, 12345);
                        for (long i = 0; i < (long) m * n; i++) set(c.segment(), f64, i, Double.NaN);
                        Gemm.javaGemm(impl, m, n, k, a.segment(), pa[0], pa[1], pa[2], b.segment(), pb[0], pb[1], pb[2], c.segment(), 0);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double ref = 0, mag = 0;
                                for (int p = 0; p < k; p++) {
                                    double x = get(a.segment(), f64, pa[0] + i * pa[1] + p * pa[2]) * get(b.segment(), f64, pb[0] + p * pb[1] + j * pb[2]);
                                    ref += x;
                                    mag += Math.abs(x);
                                }
                                double got = get(c.segment(), f64, (long) i * n + j);
                                double tol = (f64 ? 1e-13 : 2e-6) * (mag + 1);
                                if (!(Math.abs(got - ref) <= tol)) {
                                    throw new AssertionError(impl.getClass().getSimpleName() + " " + m + "x" + n + "x" + k + " A " + la + " B " + lb
                                            + " at (" + i + ", " + j + "): got " + got + ", expected " + ref);
                                }
                            }
                        }
                        assertEquals(12345, get(c.segment(), f64, (long) m * n), "wrote past C");
                    } finally {
                        a.release();
                        b.release();
                        c.release();
                    }
                }
            }
        }
    }

    @Test
    void scratchGoesBackToTheAllocator() {
        long before = Allocator.global().activeMemory();
        Buffer a = Allocator.global().allocate(300L * 300 * 4), c = Allocator.global().allocate(300L * 300 * 4);
        a.segment().fill((byte) 0);
        Gemm.javaSgemm(300, 300, 300, a.segment(), 0, 300, 1, a.segment(), 0, 300, 1, c.segment(), 0);
        a.release();
        c.release();
        assertEquals(before, Allocator.global().activeMemory());
    }

    @Test
    void describeNamesTheTile() {
        assertTrue(Gemm.describe().contains("tile"), Gemm.describe());
    }

    private static void fill(MemorySegment s, long len, boolean f64, Random r) {
        for (long i = 0; i < len; i++) set(s, f64, i, r.nextInt(17) - 8 + r.nextDouble());
    }

    private static void set(MemorySegment s, boolean f64, long i, double v) {
        if (f64) s.setAtIndex(Elem.F64, i, v);
        else s.setAtIndex(Elem.F32, i, (float) v);
    }

    private static double get(MemorySegment s, boolean f64, long i) {
        return f64 ? s.getAtIndex(Elem.F64, i) : s.getAtIndex(Elem.F32, i);
    }
}
