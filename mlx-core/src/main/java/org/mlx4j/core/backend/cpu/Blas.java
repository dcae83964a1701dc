package org.mlx4j.core.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/**
 * The optional OpenBLAS path of the CPU GEMM: {@code cblas_sgemm} and {@code cblas_dgemm} called
 * through {@code java.lang.foreign}.
 *
 * <p>The library is {@code libopenblas.so.0} from the system's search path (Debian:
 * {@code libopenblas0-openmp} or {@code -pthread}), or the file named by
 * {@code -Dmlx4j.blas=/path/lib.so}; {@code -Dmlx4j.blas=none} disables the path. A library that is
 * missing or lacks the symbols is never an error: the pure-Java {@link Gemm} is used.
 *
 * <p>Operands whose strides are a plain row-major or transposed layout are passed as they are
 * (row-major order with the matching transpose flags, so transposed views need no copy); other
 * strides go to the Java kernel. Whether BLAS is worth calling is measured, not assumed: at the first
 * product large enough to matter (per dtype), both implementations are timed on square sizes 64 to
 * 512 (about 1.5 s, most of it warming up the JIT), and each later product goes to whichever won at
 * the nearest size. One log line says which GEMM is active. {@code -Dmlx4j.gemm=java} or {@code =blas}
 * skips the choice.
 */
public final class Blas {
    private static final Logger LOG = LogManager.getLogger(Blas.class);
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    /** Products smaller than this (multiply-adds) never trigger calibration and stay in Java. */
    private static final long CALIBRATE_FROM = 32L * 32 * 32;
    private static final int[] CALIBRATION_SIZES = {64, 128, 256, 512};

    private static final MethodHandle SGEMM, DGEMM;
    private static final String LIBRARY;
    private static final String WHY_NOT;
    /** Per dtype (0 float32, 1 float64): per calibration size, whether BLAS won; null until calibrated. */
    private static final boolean[][] BLAS_WINS = new boolean[2][];
    private static volatile boolean logged;

    static {
        MethodHandle s = null, d = null;
        String lib = null, why = null;
        String prop = System.getProperty("mlx4j.blas", "").trim();
        if (prop.equalsIgnoreCase("none") || prop.equalsIgnoreCase("false")) {
            why = "disabled by -Dmlx4j.blas=none";
        } else {
            String name = prop.isEmpty() ? "libopenblas.so.0" : prop;
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                Linker linker = Linker.nativeLinker();
                ValueLayout i = ValueLayout.JAVA_INT, p = ValueLayout.ADDRESS;
                MemorySegment sf = lookup.find("cblas_sgemm").orElseThrow(() -> new IllegalArgumentException("no cblas_sgemm in " + name));
                MemorySegment df = lookup.find("cblas_dgemm").orElseThrow(() -> new IllegalArgumentException("no cblas_dgemm in " + name));
                s = linker.downcallHandle(sf, FunctionDescriptor.ofVoid(i, i, i, i, i, i, ValueLayout.JAVA_FLOAT, p, i, p, i, ValueLayout.JAVA_FLOAT, p, i));
                d = linker.downcallHandle(df, FunctionDescriptor.ofVoid(i, i, i, i, i, i, ValueLayout.JAVA_DOUBLE, p, i, p, i, ValueLayout.JAVA_DOUBLE, p, i));
                lib = name;
            } catch (Throwable t) {
                // any failure (not found, missing symbol, native access denied) means: no BLAS
                s = null;
                d = null;
                why = "could not load " + name + ": " + t.getMessage();
            }
        }
        SGEMM = s;
        DGEMM = d;
        LIBRARY = lib;
        WHY_NOT = why;
        if (lib == null) logActive("pure Java (" + Gemm.describe() + "); no BLAS: " + why);
    }

    private Blas() {}

    /** True when an OpenBLAS library was loaded. */
    public static boolean available() { return SGEMM != null; }

    /** The loaded library, or {@code none (reason)}. */
    public static String describe() { return LIBRARY != null ? "OpenBLAS " + LIBRARY : "none (" + WHY_NOT + ")"; }

    private static void logActive(String what) {
        if (logged) return;
        logged = true;
        LOG.info("mlx4j GEMM: {}", what);
    }

    /**
     * Whether BLAS beat the Java kernel at the calibration size nearest to this product (by m*n*k, on
     * a log scale; beyond the largest size, the largest decides). Calibrates on first need.
     */
    static boolean faster(boolean f64, int m, int n, int k) {
        long work = (long) m * n * k;
        if (!available() || work < CALIBRATE_FROM) return false;
        boolean[] wins = decisions(f64 ? 1 : 0);
        double side = Math.cbrt((double) work);
        int s = 0;
        while (s + 1 < CALIBRATION_SIZES.length && side >= Math.sqrt((double) CALIBRATION_SIZES[s] * CALIBRATION_SIZES[s + 1])) s++;
        return wins[s];
    }

    private static boolean[] decisions(int t) {
        boolean[] w = BLAS_WINS[t];
        if (w != null) return w;
        synchronized (BLAS_WINS) {
            if (BLAS_WINS[t] == null) BLAS_WINS[t] = calibrate(t == 1);
            return BLAS_WINS[t];
        }
    }

    /**
     * Times Java and BLAS on square products of each calibration size; returns where BLAS won. The
     * Java kernel is warmed up first so the JIT's first tiers do not count against it.
     */
    private static boolean[] calibrate(boolean f64) {
        long start = System.nanoTime();
        int es = f64 ? 8 : 4, maxN = CALIBRATION_SIZES[CALIBRATION_SIZES.length - 1];
        long len = (long) maxN * maxN;
        Buffer a = Allocator.global().allocate(len * es), b = Allocator.global().allocate(len * es), c = Allocator.global().allocate(len * es);
        StringBuilder report = new StringBuilder();
        try {
            Random r = new Random(42);
            for (long i = 0; i < len; i++) {
                if (f64) {
                    a.segment().setAtIndex(Elem.F64, i, r.nextDouble() - 0.5);
                    b.segment().setAtIndex(Elem.F64, i, r.nextDouble() - 0.5);
                } else {
                    a.segment().setAtIndex(Elem.F32, i, r.nextFloat() - 0.5f);
                    b.segment().setAtIndex(Elem.F32, i, r.nextFloat() - 0.5f);
                }
            }
            warmUp(f64, a, b, c);
            boolean[] blasWins = new boolean[CALIBRATION_SIZES.length];
            for (int s = 0; s < CALIBRATION_SIZES.length; s++) {
                int n = CALIBRATION_SIZES[s];
                int reps = (int) Math.max(3, Math.min(50, 2e8 / (2.0 * n * n * n)));
                long java = Long.MAX_VALUE, blas = Long.MAX_VALUE;
                // alternating best-of rounds, so that load from other processes hits both alike; a pause
                // after BLAS lets its OpenMP threads stop spinning before Java runs
                for (int round = 0, rounds = n <= 128 ? 5 : 3; round < rounds; round++) {
                    blas = Math.min(blas, time(f64, true, n, a, b, c, reps));
                    LockSupport.parkNanos(5_000_000L);
                    java = Math.min(java, time(f64, false, n, a, b, c, reps));
                }
                blasWins[s] = blas < java;
                report.append(String.format(" n=%d java %.0f / blas %.0f GFLOPS;", n, 2.0 * n * n * n / java, 2.0 * n * n * n / blas));
            }
            String type = f64 ? "float64" : "float32";
            List<String> blasSizes = new ArrayList<>(), javaSizes = new ArrayList<>();
            for (int s = 0; s < CALIBRATION_SIZES.length; s++) (blasWins[s] ? blasSizes : javaSizes).add("n=" + CALIBRATION_SIZES[s]);
            String which;
            if (blasSizes.isEmpty()) which = "pure Java (" + Gemm.describe() + ") for " + type + "; " + describe() + " was slower";
            else if (javaSizes.isEmpty()) which = "OpenBLAS (" + LIBRARY + ") for " + type + " products from 32^3 multiply-adds";
            else which = "OpenBLAS (" + LIBRARY + ") for " + type + " products nearest in size to " + blasSizes + "^3, Java ("
                    + Gemm.describe() + ") for those nearest to " + javaSizes + "^3 and the smallest";
            report.append(String.format(" %d ms", (System.nanoTime() - start) / 1_000_000));
            if (!logged) logActive(which + "; calibration:" + report);
            else LOG.debug("mlx4j GEMM: {}; calibration:{}", which, report);
            return blasWins;
        } finally {
            a.release();
            b.release();
            c.release();
        }
    }

    /**
     * Runs the Java kernel until its speed stops improving (the JIT has compiled the kernels, packing
     * and edge paths; at start-up that takes from a few hundred milliseconds to seconds), at most 2 s.
     */
    private static void warmUp(boolean f64, Buffer a, Buffer b, Buffer c) {
        long end = System.nanoTime() + 2_000_000_000L;
        long best = Long.MAX_VALUE;
        int stale = 0;
        while (stale < 8 && System.nanoTime() < end) {
            time(f64, false, 64, a, b, c, 5);
            long t = time(f64, false, 200, a, b, c, 3);
            if (t < best * 0.97) {
                best = t;
                stale = 0;
            } else {
                stale++;
            }
        }
    }

    private static long time(boolean f64, boolean blas, int n, Buffer a, Buffer b, Buffer c, int reps) {
        MemorySegment as = a.segment(), bs = b.segment(), cs = c.segment();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            if (blas) {
                if (f64) dgemm(n, n, n, as, 0, n, 1, bs, 0, n, 1, cs, 0);
                else sgemm(n, n, n, as, 0, n, 1, bs, 0, n, 1, cs, 0);
            } else {
                if (f64) Gemm.javaDgemm(n, n, n, as, 0, n, 1, bs, 0, n, 1, cs, 0);
                else Gemm.javaSgemm(n, n, n, as, 0, n, 1, bs, 0, n, 1, cs, 0);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    /**
     * The transpose flag and leading dimension that describe a (rows x cols) operand with strides
     * (rs, cs) in row-major BLAS terms, or null when the layout is not plain.
     */
    private static int[] layout(int rows, int cols, long rs, long cs) {
        if ((cs == 1 || cols == 1) && (rows == 1 || rs >= Math.max(1, cols)) && rs <= Integer.MAX_VALUE) {
            return new int[] {NO_TRANS, (int) (rows == 1 ? Math.max(1, cols) : rs)};
        }
        if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.max(1, rows)) && cs <= Integer.MAX_VALUE) {
            return new int[] {TRANS, (int) (cols == 1 ? Math.max(1, rows) : cs)};
        }
        return null;
    }

    /** float32 C = A * B through cblas_sgemm; false (nothing done) when the strides are not plain. */
    static boolean sgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                         MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        int[] la = layout(m, k, ars, acs), lb = layout(k, n, brs, bcs);
        if (SGEMM == null || la == null || lb == null) return false;
        try {
            SGEMM.invokeExact(ROW_MAJOR, la[0], lb[0], m, n, k, 1f, a.asSlice(ao * 4), la[1], b.asSlice(bo * 4), lb[1], 0f, c.asSlice(co * 4), Math.max(1, n));
        } catch (Throwable t) {
            throw new IllegalStateException("[matmul] cblas_sgemm failed", t);
        }
        return true;
    }

    /** float64 C = A * B through cblas_dgemm; false (nothing done) when the strides are not plain. */
    static boolean dgemm(int m, int n, int k, MemorySegment a, long ao, long ars, long acs,
                         MemorySegment b, long bo, long brs, long bcs, MemorySegment c, long co) {
        int[] la = layout(m, k, ars, acs), lb = layout(k, n, brs, bcs);
        if (DGEMM == null || la == null || lb == null) return false;
        try {
            DGEMM.invokeExact(ROW_MAJOR, la[0], lb[0], m, n, k, 1d, a.asSlice(ao * 8), la[1], b.asSlice(bo * 8), lb[1], 0d, c.asSlice(co * 8), Math.max(1, n));
        } catch (Throwable t) {
            throw new IllegalStateException("[matmul] cblas_dgemm failed", t);
        }
        return true;
    }
}
