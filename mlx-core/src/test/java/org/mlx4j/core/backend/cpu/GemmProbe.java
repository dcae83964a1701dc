package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;

/**
 * A small GEMM benchmark (not a test): square n x n x n products, best-of timings in GFLOPS.
 * Run from the module directory after {@code mvn test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp target/classes:target/test-classes:$(cat cp.txt) org.mlx4j.core.backend.cpu.GemmProbe [f32|f64] [java|blas|auto] [sizes...]
 * </pre>
 * Options: {@code -Dprobe.reps=N} timed repetitions per size (best is reported), {@code -Dprobe.trans=true}
 * to multiply by a transposed view of B (and of A),
 * {@code -Dprobe.cpu=true} to time by thread CPU time (with {@code -Dmlx4j.threads=1}, on a busy machine).
 */
public final class GemmProbe {
    private static final java.lang.management.ThreadMXBean MX_BEAN = java.lang.management.ManagementFactory.getThreadMXBean();

    private GemmProbe() {}

    /** Entry point. */
    public static void main(String[] args) {
        boolean f64 = args.length > 0 && args[0].equals("f64");
        String mode = args.length > 1 ? args[1] : "java";
        System.setProperty("mlx4j.gemm", mode);
        int[] sizes = {256, 512, 1024, 2048};
        if (args.length > 2) {
            sizes = new int[args.length - 2];
            for (int i = 2; i < args.length; i++) sizes[i - 2] = Integer.parseInt(args[i]);
        }
        int reps = Integer.getInteger("probe.reps", 7);
        boolean trans = Boolean.getBoolean("probe.trans");
        // CPU time of the calling thread: meaningful only with -Dmlx4j.threads=1 (all work inline)
        boolean cpu = Boolean.getBoolean("probe.cpu");
        int es = f64 ? 8 : 4;
        System.out.println("java kernel: " + Gemm.describe() + "; threads " + Parallel.THREADS + "; BLAS " + Blas.describe() + "; mode " + mode + (trans ? " (A^T B^T views)" : ""));
        for (int n : sizes) {
            long nn = (long) n * n;
            Buffer a = Allocator.global().allocate(nn * es), b = Allocator.global().allocate(nn * es), c = Allocator.global().allocate(nn * es);
            Random r = new Random(1);
            for (long i = 0; i < nn; i++) {
                if (f64) {
                    a.segment().setAtIndex(Elem.F64, i, r.nextGaussian());
                    b.segment().setAtIndex(Elem.F64, i, r.nextGaussian());
                } else {
                    a.segment().setAtIndex(Elem.F32, i, (float) r.nextGaussian());
                    b.segment().setAtIndex(Elem.F32, i, (float) r.nextGaussian());
                }
            }
            long rs = trans ? 1 : n, cs = trans ? n : 1;
            double flop = 2.0 * n * n * n;
            // warm up (the JIT needs about two seconds at start-up), then time
            long warmEnd = System.nanoTime() + (n == sizes[0] ? 2_000_000_000L : 500_000_000L);
            int w = 0;
            while (System.nanoTime() < warmEnd || w < 2) {
                run(f64, n, a.segment(), rs, cs, b.segment(), c.segment());
                w++;
            }
            double best = Double.MAX_VALUE;
            int inner = (int) Math.max(1, 2e8 / flop);
            for (int rep = 0; rep < reps; rep++) {
                long t0 = cpu ? MX_BEAN.getCurrentThreadCpuTime() : System.nanoTime();
                for (int i = 0; i < inner; i++) run(f64, n, a.segment(), rs, cs, b.segment(), c.segment());
                long t1 = cpu ? MX_BEAN.getCurrentThreadCpuTime() : System.nanoTime();
                best = Math.min(best, (t1 - t0) / (double) inner);
            }
            // spot check one entry against a double loop
            int i0 = n / 3, j0 = n / 2;
            double ref = 0;
            for (int p = 0; p < n; p++) ref += get(f64, a.segment(), i0 * rs + p * cs) * get(f64, b.segment(), p * rs + j0 * cs);
            double got = get(f64, c.segment(), (long) i0 * n + j0);
            System.out.printf("n=%5d  %7.1f GFLOPS  (%.3f ms, err %.1e)%n", n, flop / best, best / 1e6, Math.abs(got - ref) / Math.max(1, Math.abs(ref)));
            a.release();
            b.release();
            c.release();
        }
    }

    private static double get(boolean f64, MemorySegment s, long i) {
        return f64 ? s.getAtIndex(Elem.F64, i) : s.getAtIndex(Elem.F32, i);
    }

    private static void run(boolean f64, int n, MemorySegment a, long rs, long cs, MemorySegment b, MemorySegment c) {
        if (f64) Gemm.dgemm(n, n, n, a, 0, rs, cs, b, 0, rs, cs, c, 0);
        else Gemm.sgemm(n, n, n, a, 0, rs, cs, b, 0, rs, cs, c, 0);
    }
}
