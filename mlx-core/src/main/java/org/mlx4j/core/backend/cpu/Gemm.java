package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/**
 * Blocked, packed GEMM for float32 and float64: C (m x n, dense row-major at element offset
 * {@code co}) = A (m x k) * B (k x n), where A and B are read through arbitrary row and column
 * strides (in elements; transposed, sliced, negative-step and broadcast views all work).
 *
 * <p>C is cut into a small grid of independent parts, one task each, so a call costs one fork-join.
 * Within a part the structure is Goto/BLIS: k is cut into blocks of at most KC and n into blocks of
 * at most NC; each KC x NC block of B is packed into panels of NR columns, then m is cut into blocks
 * of at most MC rows packed into panels of MR rows, and every (MR panel, NR panel) pair goes through
 * an MR x NR register-blocked micro-kernel that writes a scratch tile, which is then added into C
 * (so edge tiles need no masking). Matrix-vector shapes (m or n equal to one) skip packing.
 *
 * <p>Kernels and packing come from {@link GemmVec} (Vector API, FMA) when {@link Simd#ENABLED}, else
 * from the scalar classes here. {@link Blas} may take over (see {@link #sgemm}). Scratch memory
 * comes from the {@link Allocator} and goes back to its cache at the end of each part.
 * Tuning properties (for measurements): {@code mlx4j.gemm.kc}, {@code .mc}, {@code .nc},
 * {@code .mr} and {@code .bits} (vector width).
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
    static final long PARALLEL_WORK = 1L << 23;

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
        if (m == 1 && bcs == 1) {
            t.axpyRows(n, k, a, ao, acs, b, bo, brs, c, co);
        } else if (m == 1) {
            t.dotRows(n, k, b, bo, bcs, brs, a, ao, acs, c, co);
        } else if (n == 1 && ars == 1 && acs != 1) {
            t.axpyRows(m, k, b, bo, brs, a, ao, acs, c, co);
        } else if (n == 1) {
            t.dotRows(m, k, a, ao, ars, acs, b, bo, brs, c, co);
        } else {
            gridGemm(t, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co);
        }
    }

    /**
     * Splits C into a grid of independent sub-products, one fork-join for the whole call; each task
     * packs its own rows of A and columns of B. The grid's aspect follows C's (the repacking it causes,
     * m*k per column part plus k*n per row part, is then smallest).
     */
    static void gridGemm(Impl t, int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                         MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        final int mr = t.mr, nr = t.nr;
        boolean par = Parallel.THREADS > 1 && (double) m * n * k >= PARALLEL_WORK;
        int parts = par ? 2 * Parallel.THREADS : 1;
        int maxGm = ceilDiv(m, mr), maxGn = ceilDiv(n, nr);
        int gn = Math.clamp(Math.round(Math.sqrt((double) parts * n / m)), 1, Math.min(parts, maxGn));
        int gm = Math.clamp(ceilDiv(parts, gn), 1, maxGm);
        final int mPart = roundUp(ceilDiv(m, gm), mr), nPart = roundUp(ceilDiv(n, gn), nr);
        final int gmEff = ceilDiv(m, mPart), gnEff = ceilDiv(n, nPart);
        Parallel.forRange((long) gmEff * gnEff, 1, (s, e) -> {
            for (long task = s; task < e; task++) {
                int i0 = (int) (task / gnEff) * mPart, j0 = (int) (task % gnEff) * nPart;
                int mm = Math.min(mPart, m - i0), nn = Math.min(nPart, n - j0);
                serialGemm(t, mm, nn, k, a, ao + i0 * ars, ars, acs, b, bo + j0 * bcs, brs, bcs, c, co + (long) i0 * n + j0, n);
            }
        });
    }

    /**
     * C (m x n at element {@code co}, row stride {@code ldc}) = A * B, or C += A * B when
     * {@code accumulate}, on the calling thread with the Java kernel: for callers that already run one
     * task per core (a nested BLAS or fork-join would only oversubscribe them).
     */
    static void serial(boolean f64, boolean accumulate, int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                       MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co, long ldc) {
        if (m <= 0 || n <= 0 || k <= 0) {
            if (!accumulate && m > 0 && n > 0) {
                Impl t = f64 ? f64(m) : f32(m);
                for (int i = 0; i < m; i++) t.zero(c, co + i * ldc, n);
            }
            return;
        }
        // one k block up to 3 KC: these calls are a worker's tile of a larger product, where fewer passes over
        // C and fewer packing calls measured faster than L1-sized B panels
        serialGemm(f64 ? f64(m) : f32(m), accumulate, m, n, k, k <= 3 * KC ? k : KC, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc);
    }

    /** One thread's blocked product of an m x n part of C (row stride ldc). */
    static void serialGemm(Impl t, int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                           MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co, long ldc) {
        serialGemm(t, false, m, n, k, KC, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc);
    }

    /** {@link #serialGemm} adding to C when {@code accumulate}, with k blocks of at most {@code kc}. */
    static void serialGemm(Impl t, boolean accumulate, int m, int n, int k, int kc0, MemorySegment a, long ao, long ars, long acs,
                           MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co, long ldc) {
        final int mr = t.mr, nr = t.nr, es = t.esize;
        final int kcMax = ceilDiv(k, ceilDiv(k, kc0));
        final int mcMax = roundUp(ceilDiv(m, ceilDiv(m, MC)), mr);
        final int ncMax = roundUp(ceilDiv(n, ceilDiv(n, NC)), nr);
        long tile = (long) mcMax * kcMax;
        Buffer buf = Allocator.global().allocate((tile + (long) kcMax * ncMax + (long) mr * nr) * es);
        try {
            MemorySegment s = buf.segment();
            long bp = tile, tp = tile + (long) kcMax * ncMax;
            for (int jc = 0; jc < n; jc += ncMax) {
                int nc = Math.min(ncMax, n - jc);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    boolean acc = accumulate || pc > 0;
                    t.packB(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, s, bp);
                    for (int ic = 0; ic < m; ic += mcMax) {
                        int mc = Math.min(mcMax, m - ic);
                        t.packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, s);
                        for (int jr = 0; jr < nc; jr += nr) {
                            int cols = Math.min(nr, nc - jr);
                            long bOff = bp + (long) jr * kc;
                            for (int ir = 0; ir < mc; ir += mr) {
                                t.kernel(kc, s, (long) ir * kc, s, bOff, s, tp);
                                t.storeTile(s, tp, c, co + (ic + ir) * ldc + jc + jr, ldc, Math.min(mr, mc - ir), cols, acc);
                            }
                        }
                    }
                }
            }
        } finally {
            buf.release();
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
         * The dense mr x nr tile at {@code t[to..]} = A panel * B panel over kc steps. The kernel
         * writes a scratch tile rather than C: its body stays small enough for every JIT tier
         * (a larger one failed C1's register allocation and stayed in slow tier-2 code), and edge
         * tiles need no masking.
         */
        abstract void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to);

        /** Packs the mc x kc block of A at {@code ao} into {@code ap} (from offset 0), zero-padding rows to MR. */
        final void packA(MemorySegment a, long ao, long ars, long acs, int mc, int kc, MemorySegment ap) {
            long d = 0;
            for (int i0 = 0; i0 < mc; i0 += mr, d += (long) mr * kc) packAPanel(a, ao + i0 * ars, ars, acs, Math.min(mr, mc - i0), kc, ap, d);
        }

        /** Packs the kc x nc block of B at {@code bo} into {@code bp} from element {@code d}, zero-padding columns to NR. */
        final void packB(MemorySegment b, long bo, long brs, long bcs, int kc, int nc, MemorySegment bp, long d) {
            for (int j0 = 0; j0 < nc; j0 += nr, d += (long) nr * kc) packBPanel(b, bo + j0 * bcs, brs, bcs, kc, Math.min(nr, nc - j0), bp, d);
        }

        /** One MR-row panel of A ({@code rows <= mr} real rows) at {@code ap[d..]}: element (r, p) goes to {@code d + p * mr + r}. */
        abstract void packAPanel(MemorySegment a, long ao, long ars, long acs, int rows, int kc, MemorySegment ap, long d);

        /** One NR-column panel of B ({@code cols <= nr} real columns) at {@code bp[d..]}: element (p, j) goes to {@code d + p * nr + j}. */
        abstract void packBPanel(MemorySegment b, long bo, long brs, long bcs, int kc, int cols, MemorySegment bp, long d);

        /** Copies (or adds, when acc) the top-left rows x cols of a dense mr x nr tile into C. */
        abstract void storeTile(MemorySegment t, long to, MemorySegment c, long co, long ldc, int rows, int cols, boolean acc);

        /**
         * Matrix-vector products need no packing (padding one column to NR would waste NR-fold):
         * {@code c[i] = sum_p R[ro + i*rs + p*ps] * x[xo + p*xs]} for i in [0, len), parallel over i.
         */
        final void dotRows(int len, int k, MemorySegment r, long ro, long rs, long ps, MemorySegment x, long xo, long xs, MemorySegment c, long co) {
            long grain = Math.max(1, PARALLEL_WORK / Math.max(1, k));
            Parallel.forRange(len, grain, (i0, i1) -> {
                for (long i = i0; i < i1; i++) dot(k, r, ro + i * rs, ps, x, xo, xs, c, co + i);
            });
        }

        /**
         * {@code c[j] = sum_p x[xo + p*xs] * R[ro + p*rs + j]} for j in [0, len): rows of R scaled and
         * added, in column chunks that stay in L1, parallel over chunks.
         */
        final void axpyRows(int len, int k, MemorySegment x, long xo, long xs, MemorySegment r, long ro, long rs, MemorySegment c, long co) {
            final int chunk = 2048;
            long chunks = (len + chunk - 1) / chunk;
            long grain = Math.max(1, PARALLEL_WORK / ((long) chunk * k));
            Parallel.forRange(chunks, grain, (c0, c1) -> {
                for (long q = c0; q < c1; q++) {
                    long j0 = q * chunk;
                    int w = (int) Math.min(chunk, len - j0);
                    zero(c, co + j0, w);
                    for (int p = 0; p < k; p++) axpy(w, x, xo + p * xs, r, ro + p * rs + j0, c, co + j0);
                }
            });
        }

        /** {@code c[ci] = sum_p a[ao + p*as] * b[bo + p*bs]} over k steps. */
        abstract void dot(int k, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment c, long ci);

        /** {@code c[co..co+len) += x[xi] * r[ro..ro+len)}. */
        abstract void axpy(int len, MemorySegment x, long xi, MemorySegment r, long ro, MemorySegment c, long co);

        /** Zeroes {@code len} elements of C. */
        void zero(MemorySegment c, long co, long len) { c.asSlice(co * esize, len * esize).fill((byte) 0); }
    }

    /** Scalar packing for float32. */
    abstract static class F32Impl extends Impl {
        F32Impl(int mr, int nr) { super(mr, nr, 4); }

        @Override void packAPanel(MemorySegment a, long ao, long ars, long acs, int rows, int kc, MemorySegment ap, long d) {
            final int mr = this.mr;
            if (rows == mr && acs != 1) {
                for (int p = 0; p < kc; p++) {
                    long src = ao + p * acs, dst = d + (long) p * mr;
                    for (int r = 0; r < mr; r++) ap.setAtIndex(Elem.F32, dst + r, a.getAtIndex(Elem.F32, src + r * ars));
                }
                return;
            }
            for (int r = 0; r < rows; r++) {
                long src = ao + r * ars, dst = d + r;
                for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F32, dst + (long) p * mr, a.getAtIndex(Elem.F32, src + p * acs));
            }
            for (int r = rows; r < mr; r++) {
                for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F32, d + r + (long) p * mr, 0f);
            }
        }

        @Override void packBPanel(MemorySegment b, long bo, long brs, long bcs, int kc, int cols, MemorySegment bp, long d) {
            final int nr = this.nr;
            if (bcs == 1 || cols < nr) {
                for (int p = 0; p < kc; p++) {
                    long src = bo + p * brs, dst = d + (long) p * nr;
                    for (int j = 0; j < cols; j++) bp.setAtIndex(Elem.F32, dst + j, b.getAtIndex(Elem.F32, src + j * bcs));
                    for (int j = cols; j < nr; j++) bp.setAtIndex(Elem.F32, dst + j, 0f);
                }
                return;
            }
            for (int j = 0; j < nr; j++) {
                long src = bo + j * bcs, dst = d + j;
                for (int p = 0; p < kc; p++) bp.setAtIndex(Elem.F32, dst + (long) p * nr, b.getAtIndex(Elem.F32, src + p * brs));
            }
        }

        @Override void dot(int k, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment c, long ci) {
            float acc = 0;
            for (int p = 0; p < k; p++) acc += a.getAtIndex(Elem.F32, ao + p * as) * b.getAtIndex(Elem.F32, bo + p * bs);
            c.setAtIndex(Elem.F32, ci, acc);
        }

        @Override void axpy(int len, MemorySegment x, long xi, MemorySegment r, long ro, MemorySegment c, long co) {
            float v = x.getAtIndex(Elem.F32, xi);
            for (int j = 0; j < len; j++) c.setAtIndex(Elem.F32, co + j, c.getAtIndex(Elem.F32, co + j) + v * r.getAtIndex(Elem.F32, ro + j));
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

        @Override void packAPanel(MemorySegment a, long ao, long ars, long acs, int rows, int kc, MemorySegment ap, long d) {
            final int mr = this.mr;
            if (rows == mr && acs != 1) {
                for (int p = 0; p < kc; p++) {
                    long src = ao + p * acs, dst = d + (long) p * mr;
                    for (int r = 0; r < mr; r++) ap.setAtIndex(Elem.F64, dst + r, a.getAtIndex(Elem.F64, src + r * ars));
                }
                return;
            }
            for (int r = 0; r < rows; r++) {
                long src = ao + r * ars, dst = d + r;
                for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F64, dst + (long) p * mr, a.getAtIndex(Elem.F64, src + p * acs));
            }
            for (int r = rows; r < mr; r++) {
                for (int p = 0; p < kc; p++) ap.setAtIndex(Elem.F64, d + r + (long) p * mr, 0d);
            }
        }

        @Override void packBPanel(MemorySegment b, long bo, long brs, long bcs, int kc, int cols, MemorySegment bp, long d) {
            final int nr = this.nr;
            if (bcs == 1 || cols < nr) {
                for (int p = 0; p < kc; p++) {
                    long src = bo + p * brs, dst = d + (long) p * nr;
                    for (int j = 0; j < cols; j++) bp.setAtIndex(Elem.F64, dst + j, b.getAtIndex(Elem.F64, src + j * bcs));
                    for (int j = cols; j < nr; j++) bp.setAtIndex(Elem.F64, dst + j, 0d);
                }
                return;
            }
            for (int j = 0; j < nr; j++) {
                long src = bo + j * bcs, dst = d + j;
                for (int p = 0; p < kc; p++) bp.setAtIndex(Elem.F64, dst + (long) p * nr, b.getAtIndex(Elem.F64, src + p * brs));
            }
        }

        @Override void dot(int k, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment c, long ci) {
            double acc = 0;
            for (int p = 0; p < k; p++) acc += a.getAtIndex(Elem.F64, ao + p * as) * b.getAtIndex(Elem.F64, bo + p * bs);
            c.setAtIndex(Elem.F64, ci, acc);
        }

        @Override void axpy(int len, MemorySegment x, long xi, MemorySegment r, long ro, MemorySegment c, long co) {
            double v = x.getAtIndex(Elem.F64, xi);
            for (int j = 0; j < len; j++) c.setAtIndex(Elem.F64, co + j, c.getAtIndex(Elem.F64, co + j) + v * r.getAtIndex(Elem.F64, ro + j));
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

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
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
            row(t, to, c00, c01, c02, c03);
            row(t, to + 4, c10, c11, c12, c13);
            row(t, to + 8, c20, c21, c22, c23);
            row(t, to + 12, c30, c31, c32, c33);
        }

        private static void row(MemorySegment t, long o, float v0, float v1, float v2, float v3) {
            t.setAtIndex(Elem.F32, o, v0);
            t.setAtIndex(Elem.F32, o + 1, v1);
            t.setAtIndex(Elem.F32, o + 2, v2);
            t.setAtIndex(Elem.F32, o + 3, v3);
        }
    }

    /** Scalar 4 x 4 float64 kernel (the path without the Vector API). */
    static final class ScalarF64 extends F64Impl {
        ScalarF64() { super(4, 4); }

        @Override void kernel(int kc, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment t, long to) {
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
            row(t, to, c00, c01, c02, c03);
            row(t, to + 4, c10, c11, c12, c13);
            row(t, to + 8, c20, c21, c22, c23);
            row(t, to + 12, c30, c31, c32, c33);
        }

        private static void row(MemorySegment t, long o, double v0, double v1, double v2, double v3) {
            t.setAtIndex(Elem.F64, o, v0);
            t.setAtIndex(Elem.F64, o + 1, v1);
            t.setAtIndex(Elem.F64, o + 2, v2);
            t.setAtIndex(Elem.F64, o + 3, v3);
        }
    }
}
