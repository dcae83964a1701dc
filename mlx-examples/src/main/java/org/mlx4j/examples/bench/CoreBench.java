package org.mlx4j.examples.bench;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.cpu.Parallel;
import org.mlx4j.core.backend.cpu.Simd;

/**
 * mlx4j's side of the standard CPU workloads in ../shared/peers (gemm.py, elementwise.py,
 * step_latency.py), printing {@code RESULT name=value unit} lines in the peers' format so
 * {@code bench/compare.sh} can put both side by side. Timings are medians of single calls after
 * warm-up; each call includes building the lazy graph and evaluating it.
 *
 * <p>Run through {@code bench/compare.sh}, which also runs the PyTorch peers and prints the ratios.
 */
public final class CoreBench {
    private CoreBench() {}

    static void result(String name, double v, String unit) {
        System.out.printf(Locale.ROOT, "RESULT %s=%.6g %s%n", name, v, unit);
    }

    static double[] time(Runnable r, int warmup, int reps) { return time(r, warmup, reps, 0.5); }

    static double[] time(Runnable r, int warmup, int reps, double warmSeconds) {
        // at least the given warm-up calls, and at least warmSeconds of them (JIT, GEMM calibration)
        long until = System.nanoTime() + (long) (warmSeconds * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t;
    }

    static double median(double[] sorted) { return sorted[sorted.length / 2]; }

    static Array randn(int... shape) {
        return normalLike(shape);
    }

    /** Deterministic pseudo-normal data without depending on the random module. */
    static Array normalLike(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[Math.toIntExact(n)];
        java.util.SplittableRandom r = new java.util.SplittableRandom(0);
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1 + r.nextDouble() * 2 - 1 + r.nextDouble() * 2 - 1);
        Array a = array(v, shape);
        eval(a);
        return a;
    }

    static void gemm() {
        // the JIT compiles the GEMM kernels during the first seconds: warm up on every size first
        for (int n : new int[] {256, 512, 1024}) {
            Array a = randn(n, n), b = randn(n, n);
            time(() -> eval(matmul(a, b)), 3, 1, 1.0);
        }
        for (int n : new int[] {256, 512, 1024, 2048}) {
            Array a = randn(n, n), b = randn(n, n);
            double flops = 2.0 * n * n * n;
            int reps = Math.max(3, (int) Math.min(50, 2e10 / flops));
            double[] t = time(() -> eval(matmul(a, b)), 2, reps);
            result("gemm.mlx4j.n" + n, flops / median(t) / 1e9, "GFLOPS");
            result("gemm.mlx4j.n" + n + ".best", flops / t[0] / 1e9, "GFLOPS");
        }
    }

    /**
     * Times {@code op} twice: "alloc" drops each result (its buffer returns to the cache only when
     * the allocator next collects), "out" closes each result, so the next call reuses its buffer
     * from the cache: mlx4j's analogue of PyTorch's preallocated {@code out=} form.
     */
    static void both(String name, Supplier<Array> op, int reps) {
        double[] t = time(() -> eval(op.get()), 3, reps);
        result(name + ".mlx4j.alloc.ms", median(t) * 1e3, "ms");
        t = time(() -> {
            Array r = op.get();
            eval(r);
            r.close();
        }, 3, reps);
        result(name + ".mlx4j.out.ms", median(t) * 1e3, "ms");
    }

    static void elementwise() {
        int n = 16 * 1024 * 1024;
        Array x = randn(n);
        Array two = array(2f), one = array(1f);
        Array half = array(0.5f), rs2 = array((float) (1 / Math.sqrt(2)));
        eval(two, one, half, rs2);
        both("elem.affine", () -> add(multiply(x, two), one), 20);
        both("elem.gelu_erf", () -> multiply(multiply(x, half), add(one, erf(multiply(x, rs2)))), 20);
        Array m = randn(4096, 4096);
        both("elem.softmax4096", () -> softmaxLastAxis(m), 20);
        double[] t = time(() -> eval(sum(x)), 3, 20);
        result("elem.sum16M.mlx4j.ms", median(t) * 1e3, "ms");
    }

    static Array softmaxLastAxis(Array m) {
        return softmax(m, -1);
    }

    /** step_latency.py's model: MLP 32-64-64-10 (ReLU), batch 32, SGD lr 0.01, cross entropy. */
    static void stepLatency() {
        Array x = randn(32, 32);
        int[] labels = new int[32];
        for (int i = 0; i < 32; i++) labels[i] = (i * 7) % 10;
        Array onehot = astype(equal(reshape(array(labels), 32, 1), reshape(arange(10), 1, 10)), DType.FLOAT32);
        eval(onehot);
        List<Array> params = new ArrayList<>(List.of(
                multiply(randn(32, 64), array(0.1f)), zeros(64),
                multiply(randn(64, 64), array(0.1f)), zeros(64),
                multiply(randn(64, 10), array(0.1f)), zeros(10)));
        eval(params);
        var vg = valueAndGrad((List<Array> p) -> {
            Array h = maximum(add(matmul(x, p.get(0)), p.get(1)), array(0f));
            h = maximum(add(matmul(h, p.get(2)), p.get(3)), array(0f));
            Array logits = add(matmul(h, p.get(4)), p.get(5));
            return mean(subtract(logsumexp(logits, new int[] {-1}, false), sum(multiply(logits, onehot), -1)));
        }, 0, 1, 2, 3, 4, 5);
        Array lr = array(0.01f);
        Supplier<Array> step = () -> {
            var r = vg.apply(params);
            for (int i = 0; i < params.size(); i++) params.set(i, subtract(params.get(i), multiply(lr, r.grad().get(i))));
            eval(params);
            eval(r.value());
            return r.value();
        };
        // the JVM compiles the framework's own code during the first seconds (PyTorch's is compiled ahead of time)
        double[] t = time(step::get, 200, 2000, 3.0);
        double[] us = Arrays.stream(t).map(s -> s * 1e6).toArray();
        result("step_latency.mlx4j.median_us", median(us), "us");
        result("step_latency.mlx4j.p10_us", us[us.length / 10], "us");
        result("step_latency.mlx4j.p90_us", us[us.length * 9 / 10], "us");
        System.out.println("INFO final_loss=" + step.get().itemFloat());
    }

    /** Runs the workloads named by {@code --only a,b} (default: all). */
    public static void main(String[] args) {
        String only = "gemm,elementwise,step";
        for (int i = 0; i < args.length; i++) if (args[i].equals("--only") && i + 1 < args.length) only = args[++i];
        System.out.println("INFO mlx4j cpu path=" + Simd.describe() + " threads=" + Parallel.THREADS + " java=" + Runtime.version());
        List<String> which = List.of(only.split(","));
        if (which.contains("gemm")) gemm();
        if (which.contains("elementwise")) elementwise();
        if (which.contains("step")) stepLatency();
    }
}
