package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/**
 * Blocked, packed GEMM for float32 and float64: C (m x n, dense row-major at element offset
 * {@code co}) = A (m x k) * B (k x n), where A and B are read through arbitrary row and column
 * strides (in elements; transposed, sliced, negative-step and broadcast views all work).
 *
 * <p>The structure is the classic Goto/BLIS one: the k axis is cut into blocks of at most KC, n into
 * blocks of at most NC; each (NC, KC) block of B is packed once into panels of NR columns (shared by
 * all threads), then the m axis is cut into blocks of at most MC rows that each task packs into
 * panels of MR rows and multiplies panel by panel with an MR x NR register-blocked micro-kernel.
 * Edge tiles are computed into a scratch tile and copied, so the kernel never masks. Work is spread
 * over (m block, n range) tasks with {@link Parallel#forRange}.
 *
 * <p>The micro-kernels come from {@link GemmVec} (Vector API, FMA) when {@link Simd#ENABLED}, else
 * from the scalar kernels here. {@link Blas} may take over large problems (see {@link #sgemm}).
 * Scratch memory comes from the {@link Allocator} and goes back to its cache after each call.
 */
public final class Gemm {
    private Gemm() {}

    /** Cache blocking of k (B micro-panels stay in L1 across the MR panels of A). */
    static final int KC = Integer.getInteger("mlx4j.gemm.kc", 256);
    /** Cache blocking of m (a packed MC x KC block of A stays in L2). */
    static final int MC = Integer.getInteger("mlx4j.gemm.mc", 192);
    /** Cache blocking of n (a packed KC x NC block of B stays in L3). */
    static final int NC = Integer.getInteger("mlx4j.gemm.nc", 4096);
    /** Below this many multiply-adds a GEMM runs on the calling thread. */
    static final long PARALLEL_WORK = 1L << 18;

    /**
     * Which implementation a call may use: {@code auto} (BLAS where it is loaded and measured faster),
     * {@code java} (never BLAS) or {@code blas} (BLAS whenever the strides allow). Read on every call
     * from {@code -Dmlx4j.gemm} so tests can exercise both paths in one JVM.
     */
    static String mode() { return System.getProperty("mlx4j.gemm", "auto"); }

    /**
     * float32 C = A * B (C is overwritten). Uses OpenBLAS when {@link Blas} is loaded, the strides are
     * plain (row-major or transposed) and calibration found it faster for this size; otherwise the
     * Java kernel.
     */
    public static void sgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                             MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        sgemm(true, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
    }

    /** float64 C = A * B (C is overwritten); same dispatch as {@link #sgemm}. */
    public static void dgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                             MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        dgemm(true, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
    }

    /**
     * float32 GEMM; {@code autoBlas} false keeps calibrated BLAS out (callers already running in
     * parallel, where a multi-threaded BLAS would oversubscribe the cores); {@code -Dmlx4j.gemm=blas}
     * still forces it.
     */
    static void sgemm(boolean autoBlas, int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                      MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        if (useBlas(false, autoBlas, m, n, k) && Blas.sgemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co)) return;
        javaGemm(f32(m), m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
    }

    /** float64 GEMM; see {@link #sgemm(boolean, int, int, int, MemorySegment, long, long, long, MemorySegment, long, long, long, MemorySegment, long)}. */
    static void dgemm(boolean autoBlas, int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                      MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        if (useBlas(true, autoBlas, m, n, k) && Blas.dgemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co)) return;
        javaGemm(f64(m), m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
    }

    private static boolean useBlas(boolean f64, boolean autoBlas, int m, int n, int k) {
        if (m == 0 || n == 0 || k == 0) return false;
        String mode = mode();
        if (mode.equals("java") || !Blas.available()) return false;
        return mode.equals("blas") || autoBlas && Blas.faster(f64, m, n, k);
    }

    /** The pure-Java float32 GEMM (never BLAS); for calibration and tests. */
    static void javaSgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                          MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        javaGemm(f32(m), m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
    }

    /** The pure-Java float64 GEMM (never BLAS). */
    static void javaDgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                          MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        javaGemm(f64(m), m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
    }

    private static final Impl SCALAR_F32 = new ScalarF32();
    private static final Impl SCALAR_F64 = new ScalarF64();

    private static Impl f32(int m) { return Simd.ENABLED ? GemmVec.f32(m) : SCALAR_F32; }

    private static Impl f64(int m) { return Simd.ENABLED ? GemmVec.f64(m) : SCALAR_F64; }

    /** A one-line description of the Java kernel (tile shape, species), for logs and the probe. */
    public static String describe() {
        Impl f = f32(Integer.MAX_VALUE), d = f64(Integer.MAX_VALUE);
        return (Simd.ENABLED ? GemmVec.describe() : "scalar") + ", float32 tile " + f.mr + "x" + f.nr
                + ", float64 tile " + d.mr + "x" + d.nr + ", KC=" + KC + " MC=" + MC + " NC=" + NC;
    }

    // ------------------------------------------------------------------ driver

    static void javaGemm(Impl t, int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                         MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            t.zero(c, co, (long) m * n);
            return;
        }
        final int mr = t.mr, nr = t.nr, es = t.esize;
        // Even splits, so that no block is a sliver.
        final int kcMax = ceilDiv(k, ceilDiv(k, KC));
        final int mcMax = roundUp(ceilDiv(m, ceilDiv(m, MC)), mr);
        final int ncMax = roundUp(ceilDiv(n, ceilDiv(n, NC)), nr);
        final boolean par = Parallel.THREADS > 1 && (double) m * n * k >= PARALLEL_WORK;
        Buffer bBuf = Allocator.global().allocate((long) kcMax * ncMax * es);
        try {
            final MemorySegment bp = bBuf.segment();
            for (int jc0 = 0; jc0 < n; jc0 += ncMax) {
                final int jc = jc0, nc = Math.min(ncMax, n - jc);
                final int nPanels = ceilDiv(nc, nr);
                final int icBlocks = ceilDiv(m, mcMax);
                // Enough tasks for the threads to balance; each task redoes its A pack, so not many more.
                int parts = par ? Math.clamp(ceilDiv(4 * Parallel.THREADS, icBlocks), 1, nPanels) : 1;
                final int panelsPerPart = ceilDiv(nPanels, parts);
                final int jParts = ceilDiv(nPanels, panelsPerPart);
                for (int pc0 = 0; pc0 < k; pc0 += kcMax) {
                    final int pc = pc0, kc = Math.min(kcMax, k - pc);
                    final boolean acc = pc > 0;
                    Parallel.forRange(nPanels, par ? Math.max(1, nPanels / (2L * Parallel.THREADS)) : nPanels,
                            (s, e) -> t.packB(b, bo + pc * brs + (jc + s * nr) * bcs, brs, bcs, kc,
                                    (int) Math.min(nc - s * nr, (e - s) * nr), bp, s * nr * kc));
                    long tasks = (long) icBlocks * jParts;
                    Parallel.forRange(tasks, par ? 1 : tasks, (s, e) -> {
                        long tile = (long) mcMax * kc;
                        Buffer aBuf = Allocator.global().allocate((tile + (long) mr * nr) * es);
                        try {
                            MemorySegment ap = aBuf.segment();
                            long packed = -1;
                            for (long task = s; task < e; task++) {
                                long ib = task / jParts;
                                int jp = (int) (task % jParts);
                                int ic = (int) ib * mcMax, mc = Math.min(mcMax, m - ic);
                                if (ib != packed) {
                                    t.packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, ap);
                                    packed = ib;
                                }
                                int p1 = Math.min(nPanels, (jp + 1) * panelsPerPart);
                                for (int q = jp * panelsPerPart; q < p1; q++) {
                                    int jr = q * nr, cols = Math.min(nr, nc - jr);
                                    long bOff = (long) q * nr * kc;
                                    for (int ir = 0; ir < mc; ir += mr) {
                                        int rows = Math.min(mr, mc - ir);
                                        long aOff = (long) ir * kc;
                                        long cOff = co + (long) (ic + ir) * n + jc + jr;
                                        if (rows == mr && cols == nr) {
                                            t.kernel(kc, ap, aOff, bp, bOff, c, cOff, n, acc);
                                        } else {
                                            t.kernel(kc, ap, aOff, bp, bOff, ap, tile, nr, false);
                                            t.storeTile(ap, tile, c, cOff, n, rows, cols, acc);
                                        }
                                    }
                                }
                            }
                        } finally {
                            aBuf.release();
                        }
                    });
                }
            }
        } finally {
            bBuf.release();
        }
    }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    static int roundUp(int a, int b) { return ceilDiv(a, b) * b; }

    // ------------------------------------------------------------------ element-type specific parts

    /**
     * The element-type specific part of the GEMM: packing (scalar here; subclasses may do better) and
     * the MR x NR micro-kernel. Packed A: panels of MR rows, each kc x MR (row index fastest).
     * Packed B: panels of NR columns, each kc x NR (column index fastest). Offsets are in elements.
     */
    abstract static class Impl {
        final int mr, nr, esize;

        Impl(int mr, int nr, int esize) {
            this.mr = mr;
            this.nr = nr;
            this.esize = esize;
        }

        /**
         * C[0..mr, 0..nr] (row stride ldc) = (acc ? C : 0) + Apanel * Bpanel over kc steps.
         */
        abstract void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc);

        /** Packs the mc x kc block of A at {@code ao} into {@code ap} (from offset 0), zero-padding rows to MR. */
        abstract void packA(MemorySegment a, long ao, long ars, long acs, int mc, int kc, MemorySegment ap);

        /** Packs the kc x nc block of B at {@code bo} into {@code bp} from element {@code d}, zero-padding columns to NR. */
        abstract void packB(MemorySegment b, long bo, long brs, long bcs, int kc, int nc, MemorySegment bp, long d);

        /** Copies (or adds, when acc) the top-left rows x cols of a dense mr x nr tile into C. */
        abstract void storeTile(MemorySegment t, long to, MemorySegment c, long co, long ldc, int rows, int cols, boolean acc);

        /** Zeroes {@code len} elements of C. */
        void zero(MemorySegment c, long co, long len) { c.asSlice(co * esize, len * esize).fill((byte) 0); }
    }

    /** Scalar packing for float32. */
    abstract static class F32Impl extends Impl {
        F32Impl(int mr, int nr) { super(mr, nr, 4); }

        @Override void packA(MemorySegment a, long ao, long ars, long acs, int mc, int kc, MemorySegment ap) {
            final int mr = this.mr;
            long d = 0;
            for (int i0 = 0; i0 < mc; i0 += mr, d += (long) mr * kc) {
                int rows = Math.min(mr, mc - i0);
                if (acs == 1 || rows < mr) {
                    for (int r = 0; r < rows; r++) {
                        long src = ao + (i0 + r) * ars, dst = d + r;
                        for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F32, dst + (long) p * mr, a.getAtIndex(Elem.F32, src + p * acs));
                    }
                    for (int r = rows; r < mr; r++) {
                        for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F32, d + r + (long) p * mr, 0f);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        long src = ao + i0 * ars + p * acs, dst = d + (long) p * mr;
                        for (int r = 0; r < mr; r++) ap.setAtIndex(Elem.F32, dst + r, a.getAtIndex(Elem.F32, src + r * ars));
                    }
                }
            }
        }

        @Override void packB(MemorySegment b, long bo, long brs, long bcs, int kc, int nc, MemorySegment bp, long d) {
            final int nr = this.nr;
            for (int j0 = 0; j0 < nc; j0 += nr, d += (long) nr * kc) {
                int cols = Math.min(nr, nc - j0);
                if (bcs == 1 || cols < nr) {
                    for (int p = 0; p < kc; p++) {
                        long src = bo + p * brs + j0 * bcs, dst = d + (long) p * nr;
                        for (int j = 0; j < cols; j++) bp.setAtIndex(Elem.F32, dst + j, b.getAtIndex(Elem.F32, src + j * bcs));
                        for (int j = cols; j < nr; j++) bp.setAtIndex(Elem.F32, dst + j, 0f);
                    }
                } else {
                    for (int j = 0; j < nr; j++) {
                        long src = bo + (j0 + j) * bcs, dst = d + j;
                        for (int p = 0; p < kc; p++) bp.setAtIndex(Elem.F32, dst + (long) p * nr, b.getAtIndex(Elem.F32, src + p * brs));
                    }
                }
            }
        }

        @Override void storeTile(MemorySegment t, long to, MemorySegment c, long co, long ldc, int rows, int cols, boolean acc) {
            for (int r = 0; r < rows; r++) {
                long src = to + (long) r * nr, dst = co + r * ldc;
                for (int j = 0; j < cols; j++) {
                    float v = t.getAtIndex(Elem.F32, src + j);
                    c.setAtIndex(Elem.F32, dst + j, acc ? c.getAtIndex(Elem.F32, dst + j) + v : v);
                }
            }
        }
    }

    /** Scalar packing for float64. */
    abstract static class F64Impl extends Impl {
        F64Impl(int mr, int nr) { super(mr, nr, 8); }

        @Override void packA(MemorySegment a, long ao, long ars, long acs, int mc, int kc, MemorySegment ap) {
            final int mr = this.mr;
            long d = 0;
            for (int i0 = 0; i0 < mc; i0 += mr, d += (long) mr * kc) {
                int rows = Math.min(mr, mc - i0);
                if (acs == 1 || rows < mr) {
                    for (int r = 0; r < rows; r++) {
                        long src = ao + (i0 + r) * ars, dst = d + r;
                        for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F64, dst + (long) p * mr, a.getAtIndex(Elem.F64, src + p * acs));
                    }
                    for (int r = rows; r < mr; r++) {
                        for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F64, d + r + (long) p * mr, 0d);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        long src = ao + i0 * ars + p * acs, dst = d + (long) p * mr;
                        for (int r = 0; r < mr; r++) ap.setAtIndex(Elem.F64, dst + r, a.getAtIndex(Elem.F64, src + r * ars));
                    }
                }
            }
        }

        @Override void packB(MemorySegment b, long bo, long brs, long bcs, int kc, int nc, MemorySegment bp, long d) {
            final int nr = this.nr;
            for (int j0 = 0; j0 < nc; j0 += nr, d += (long) nr * kc) {
                int cols = Math.min(nr, nc - j0);
                if (bcs == 1 || cols < nr) {
                    for (int p = 0; p < kc; p++) {
                        long src = bo + p * brs + j0 * bcs, dst = d + (long) p * nr;
                        for (int j = 0; j < cols; j++) bp.setAtIndex(Elem.F64, dst + j, b.getAtIndex(Elem.F64, src + j * bcs));
                        for (int j = cols; j < nr; j++) bp.setAtIndex(Elem.F64, dst + j, 0d);
                    }
                } else {
                    for (int j = 0; j < nr; j++) {
                        long src = bo + (j0 + j) * bcs, dst = d + j;
                        for (int p = 0; p < kc; p++) bp.setAtIndex(Elem.F64, dst + (long) p * nr, b.getAtIndex(Elem.F64, src + p * brs));
                    }
                }
            }
        }

        @Override void storeTile(MemorySegment t, long to, MemorySegment c, long co, long ldc, int rows, int cols, boolean acc) {
            for (int r = 0; r < rows; r++) {
                long src = to + (long) r * nr, dst = co + r * ldc;
                for (int j = 0; j < cols; j++) {
                    double v = t.getAtIndex(Elem.F64, src + j);
                    c.setAtIndex(Elem.F64, dst + j, acc ? c.getAtIndex(Elem.F64, dst + j) + v : v);
                }
            }
        }
    }

    /** Scalar 4 x 4 float32 kernel (the path without the Vector API). */
    static final class ScalarF32 extends F32Impl {
        ScalarF32() { super(4, 4); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
            float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            long ai = ao, bi = bo;
            for (int p = 0; p < kc; p++, ai += 4, bi += 4) {
                float b0 = b.getAtIndex(Elem.F32, bi), b1 = b.getAtIndex(Elem.F32, bi + 1);
                float b2 = b.getAtIndex(Elem.F32, bi + 2), b3 = b.getAtIndex(Elem.F32, bi + 3);
                float a0 = a.getAtIndex(Elem.F32, ai);
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                float a1 = a.getAtIndex(Elem.F32, ai + 1);
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                float a2 = a.getAtIndex(Elem.F32, ai + 2);
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                float a3 = a.getAtIndex(Elem.F32, ai + 3);
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            row(c, co, acc, c00, c01, c02, c03);
            row(c, co + ldc, acc, c10, c11, c12, c13);
            row(c, co + 2 * ldc, acc, c20, c21, c22, c23);
            row(c, co + 3 * ldc, acc, c30, c31, c32, c33);
        }

        private static void row(MemorySegment c, long o, boolean acc, float v0, float v1, float v2, float v3) {
            if (acc) {
                v0 += c.getAtIndex(Elem.F32, o);
                v1 += c.getAtIndex(Elem.F32, o + 1);
                v2 += c.getAtIndex(Elem.F32, o + 2);
                v3 += c.getAtIndex(Elem.F32, o + 3);
            }
            c.setAtIndex(Elem.F32, o, v0);
            c.setAtIndex(Elem.F32, o + 1, v1);
            c.setAtIndex(Elem.F32, o + 2, v2);
            c.setAtIndex(Elem.F32, o + 3, v3);
        }
    }

    /** Scalar 4 x 4 float64 kernel (the path without the Vector API). */
    static final class ScalarF64 extends F64Impl {
        ScalarF64() { super(4, 4); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment c, long co, long ldc, boolean acc) {
            double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            long ai = ao, bi = bo;
            for (int p = 0; p < kc; p++, ai += 4, bi += 4) {
                double b0 = b.getAtIndex(Elem.F64, bi), b1 = b.getAtIndex(Elem.F64, bi + 1);
                double b2 = b.getAtIndex(Elem.F64, bi + 2), b3 = b.getAtIndex(Elem.F64, bi + 3);
                double a0 = a.getAtIndex(Elem.F64, ai);
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                double a1 = a.getAtIndex(Elem.F64, ai + 1);
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                double a2 = a.getAtIndex(Elem.F64, ai + 2);
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                double a3 = a.getAtIndex(Elem.F64, ai + 3);
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            row(c, co, acc, c00, c01, c02, c03);
            row(c, co + ldc, acc, c10, c11, c12, c13);
            row(c, co + 2 * ldc, acc, c20, c21, c22, c23);
            row(c, co + 3 * ldc, acc, c30, c31, c32, c33);
        }

        private static void row(MemorySegment c, long o, boolean acc, double v0, double v1, double v2, double v3) {
            if (acc) {
                v0 += c.getAtIndex(Elem.F64, o);
                v1 += c.getAtIndex(Elem.F64, o + 1);
                v2 += c.getAtIndex(Elem.F64, o + 2);
                v3 += c.getAtIndex(Elem.F64, o + 3);
            }
            c.setAtIndex(Elem.F64, o, v0);
            c.setAtIndex(Elem.F64, o + 1, v1);
            c.setAtIndex(Elem.F64, o + 2, v2);
            c.setAtIndex(Elem.F64, o + 3, v3);
        }
    }
}
