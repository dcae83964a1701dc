package org.mlx4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * Every optimizer makes five steps on a float64 quadratic and is compared, after each step, with
 * a trajectory computed here with plain double loops from the update formulas of MLX's
 * {@code mlx.optimizers} (written independently of the code under test). Learning rates are float32
 * arrays cast to float64, as in MLX, so the references use {@code (double) (float) lr}.
 */
class OptimizerReferenceTest {
    private static final int STEPS = 5;
    private static final double TIGHT = 1e-12;

    /** One reference update of parameter {@code p} at step {@code t} (1 for the first update). */
    interface Ref {
        void step(int t, Quadratic.Param p, double[] x, double[] g, Map<String, double[]> state);
    }

    static double f32(double v) { return (double) (float) v; }

    static double[] zeros(Map<String, double[]> st, String name, int n) {
        return st.computeIfAbsent(name, k -> new double[n]);
    }

    static void check(String name, Quadratic q, Optimizer opt, Ref ref, double tol) {
        Map<String, Array> tree = q.initial();
        Map<String, double[]> xs = new HashMap<>();
        Map<String, Map<String, double[]>> states = new HashMap<>();
        for (Quadratic.Param p : q.params) {
            xs.put(p.key(), p.x0().clone());
            states.put(p.key(), new HashMap<>());
        }
        for (int t = 1; t <= STEPS; t++) {
            tree = opt.apply(q.gradients(tree), tree);
            MX.eval(tree);
            MX.eval(opt.state());
            for (Quadratic.Param p : q.params) {
                double[] x = xs.get(p.key());
                ref.step(t, p, x, Quadratic.gradient(p, x), states.get(p.key()));
                Array got = tree.get(p.key());
                assertEquals(DType.FLOAT64, got.dtype(), name + ": dtype of " + p.key());
                double[] v = got.toDoubleArray();
                for (int i = 0; i < x.length; i++) {
                    double err = Math.abs(v[i] - x[i]);
                    if (!(err <= tol * Math.max(1, Math.abs(x[i])))) {
                        fail(name + ": step " + t + ", " + p.key() + "[" + i + "] = " + v[i] + ", reference " + x[i] + " (error " + err + ")");
                    }
                }
            }
        }
        assertEquals(STEPS, opt.step().itemInt(), name + ": step count");
        // The parameters moved: the quadratic's gradient is nowhere zero at the start.
        for (Quadratic.Param p : q.params) {
            assertTrue(!java.util.Arrays.equals(p.x0(), xs.get(p.key())), name + ": " + p.key() + " did not move");
        }
    }

    // ------------------------------------------------------------------ SGD

    static Ref sgd(double lr, double momentum, double wd, double dampening, boolean nesterov) {
        double l = f32(lr);
        return (t, p, x, g, st) -> {
            double[] v = zeros(st, "v", x.length);
            for (int i = 0; i < x.length; i++) {
                double gi = wd != 0 ? g[i] + wd * x[i] : g[i];
                if (momentum <= 0) {
                    x[i] = x[i] - l * gi;
                    continue;
                }
                v[i] = dampening > 0 ? momentum * v[i] + (1 - dampening) * gi : momentum * v[i] + gi;
                double u = nesterov ? gi + momentum * v[i] : v[i];
                x[i] = x[i] - l * u;
            }
        };
    }

    @Test void sgdPlain() {
        check("SGD", Quadratic.standard(), new SGD(0.1), sgd(0.1, 0, 0, 0, false), TIGHT);
    }

    @Test void sgdMomentumAndWeightDecay() {
        check("SGD momentum", Quadratic.standard(), SGD.builder(0.05).momentum(0.9).weightDecay(0.01).build(),
                sgd(0.05, 0.9, 0.01, 0, false), TIGHT);
    }

    @Test void sgdDampening() {
        check("SGD dampening", Quadratic.standard(), SGD.builder(0.05).momentum(0.8).dampening(0.3).build(),
                sgd(0.05, 0.8, 0, 0.3, false), TIGHT);
    }

    @Test void sgdNesterov() {
        check("SGD nesterov", Quadratic.standard(), SGD.builder(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
                sgd(0.05, 0.9, 1e-3, 0, true), TIGHT);
    }

    @Test void sgdWeightDecayWithoutMomentum() {
        check("SGD wd", Quadratic.standard(), SGD.builder(0.1).weightDecay(0.2).build(), sgd(0.1, 0, 0.2, 0, false), TIGHT);
    }

    // ------------------------------------------------------------------ Adam family

    static Ref adam(double lr, double b1, double b2, double eps, boolean bias, double wd) {
        double l = f32(lr);
        return (t, p, x, g, st) -> {
            double[] m = zeros(st, "m", x.length);
            double[] v = zeros(st, "v", x.length);
            // MLX computes beta^t in float32 (a Python float to the power of an integer array).
            float p1 = (float) Math.pow((float) b1, t);
            float p2 = (float) Math.pow((float) b2, t);
            double c1 = l / (double) (1f - p1);
            double c2 = f32(1 / Math.sqrt(1f - p2));
            for (int i = 0; i < x.length; i++) {
                double w = wd != 0 ? x[i] * (1 - l * wd) : x[i];
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * (g[i] * g[i]);
                if (bias) x[i] = w - (c1 * m[i]) / (Math.sqrt(v[i]) * c2 + eps);
                else x[i] = w - l * m[i] / (Math.sqrt(v[i]) + eps);
            }
        };
    }

    @Test void adamDefaults() {
        Adam adam = new Adam(0.01);
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertTrue(!adam.biasCorrection(), "MLX's Adam has no bias correction by default");
        check("Adam", Quadratic.standard(), adam, adam(0.01, 0.9, 0.999, 1e-8, false, 0), TIGHT);
    }

    @Test void adamBiasCorrection() {
        // The correction factors are float32 (as in MLX), so the last float32 bit may differ.
        check("Adam bias", Quadratic.standard(), Adam.builder(0.01).betas(0.8, 0.95).eps(1e-6).biasCorrection(true).build(),
                adam(0.01, 0.8, 0.95, 1e-6, true, 0), 1e-6);
    }

    @Test void adamW() {
        AdamW opt = new AdamW(0.01);
        assertEquals(0.01, opt.weightDecay());
        check("AdamW", Quadratic.standard(), opt, adam(0.01, 0.9, 0.999, 1e-8, false, 0.01), TIGHT);
    }

    @Test void adamWLargeDecayBiasCorrection() {
        check("AdamW bias", Quadratic.standard(), AdamW.builder(0.02).weightDecay(0.5).biasCorrection(true).build(),
                adam(0.02, 0.9, 0.999, 1e-8, true, 0.5), 1e-6);
    }

    @Test void adamax() {
        double l = f32(0.02);
        Ref ref = (t, p, x, g, st) -> {
            double[] m = zeros(st, "m", x.length);
            double[] v = zeros(st, "v", x.length);
            for (int i = 0; i < x.length; i++) {
                m[i] = 0.9 * m[i] + (1 - 0.9) * g[i];
                v[i] = Math.max(0.999 * v[i], Math.abs(g[i]));
                x[i] = x[i] - l * m[i] / (v[i] + 1e-8);
            }
        };
        check("Adamax", Quadratic.standard(), new Adamax(0.02), ref, TIGHT);
    }

    // ------------------------------------------------------------------ adaptive

    @Test void rmsprop() {
        double l = f32(0.01);
        Ref ref = (t, p, x, g, st) -> {
            double[] v = zeros(st, "v", x.length);
            for (int i = 0; i < x.length; i++) {
                v[i] = 0.99 * v[i] + (1 - 0.99) * (g[i] * g[i]);
                x[i] = x[i] - l * g[i] / (Math.sqrt(v[i]) + 1e-8);
            }
        };
        check("RMSprop", Quadratic.standard(), new RMSprop(0.01), ref, TIGHT);
    }

    @Test void rmspropAlpha() {
        double l = f32(0.01);
        Ref ref = (t, p, x, g, st) -> {
            double[] v = zeros(st, "v", x.length);
            for (int i = 0; i < x.length; i++) {
                v[i] = 0.5 * v[i] + (1 - 0.5) * (g[i] * g[i]);
                x[i] = x[i] - l * g[i] / (Math.sqrt(v[i]) + 1e-3);
            }
        };
        check("RMSprop alpha", Quadratic.standard(), RMSprop.builder(0.01).alpha(0.5).eps(1e-3).build(), ref, TIGHT);
    }

    @Test void adagrad() {
        double l = f32(0.1);
        Ref ref = (t, p, x, g, st) -> {
            double[] v = zeros(st, "v", x.length);
            for (int i = 0; i < x.length; i++) {
                v[i] = v[i] + g[i] * g[i];
                x[i] = x[i] - l * g[i] / (Math.sqrt(v[i]) + 1e-8);
            }
        };
        check("Adagrad", Quadratic.standard(), new Adagrad(0.1), ref, TIGHT);
    }

    @Test void adaDelta() {
        double l = f32(1.0);
        Ref ref = (t, p, x, g, st) -> {
            double[] v = zeros(st, "v", x.length);
            double[] u = zeros(st, "u", x.length);
            for (int i = 0; i < x.length; i++) {
                v[i] = 0.9 * v[i] + (1 - 0.9) * (g[i] * g[i]);
                double d = Math.sqrt(u[i] + 1e-6) / Math.sqrt(v[i] + 1e-6) * g[i];
                u[i] = 0.9 * u[i] + (1 - 0.9) * (d * d);
                x[i] = x[i] - l * d;
            }
        };
        check("AdaDelta", Quadratic.standard(), new AdaDelta(1.0), ref, TIGHT);
    }

    // ------------------------------------------------------------------ Lion

    static Ref lion(double lr, double b1, double b2, double wd) {
        double l = f32(lr);
        return (t, p, x, g, st) -> {
            double[] m = zeros(st, "m", x.length);
            for (int i = 0; i < x.length; i++) {
                double c = b1 * m[i] + (1 - b1) * g[i];
                m[i] = b2 * m[i] + (1 - b2) * g[i];
                double w = wd > 0 ? (1 - l * wd) * x[i] : x[i];
                x[i] = w - l * Math.signum(c);
            }
        };
    }

    @Test void lion() {
        check("Lion", Quadratic.standard(), new Lion(0.01), lion(0.01, 0.9, 0.99, 0), TIGHT);
    }

    @Test void lionWeightDecay() {
        check("Lion wd", Quadratic.standard(), Lion.builder(0.01).betas(0.95, 0.98).weightDecay(0.1).build(),
                lion(0.01, 0.95, 0.98, 0.1), TIGHT);
    }

    // ------------------------------------------------------------------ Adafactor

    static double rms(double[] v) {
        double s = 0;
        for (double e : v) s += e * e;
        return Math.sqrt(s / v.length);
    }

    /** Adafactor's reference; parameters of two or more axes are (batch, rows, cols) blocks. */
    static Ref adafactor(Double lr, double eps1, double eps2, double clip, double decay, Double beta1, double wd,
                         boolean scale, boolean relative) {
        return adafactor(lr, eps1, eps2, clip, decay, beta1, wd, scale, relative, false);
    }

    static Ref adafactor(Double lr, double eps1, double eps2, double clip, double decay, Double beta1, double wd,
                         boolean scale, boolean relative, boolean warmup) {
        return (t, p, x, g, st) -> {
            int n = x.length;
            // The relative step is float32 in MLX (rsqrt of the integer step, float32 constants).
            float minStep = warmup ? 1e-6f * t : 0.01f;
            double rel = relative ? f32(Math.min(minStep, (float) (1 / Math.sqrt(t)))) : f32(lr);
            double lrT = (scale ? Math.max(eps2, rms(x)) : 1) * rel;
            double beta2 = 1.0 - f32((float) Math.pow(t, (float) decay));
            double[] u = new double[n];
            for (int i = 0; i < n; i++) u[i] = g[i] * g[i] + eps1;
            double[] upd = new double[n];
            if (p.shape().length >= 2) {
                int cols = p.shape()[p.shape().length - 1];
                int rows = p.shape()[p.shape().length - 2];
                int batch = n / (rows * cols);
                double[] row = zeros(st, "exp_avg_sq_row", batch * rows);
                double[] col = zeros(st, "exp_avg_sq_col", batch * cols);
                for (int b = 0; b < batch; b++) {
                    for (int r = 0; r < rows; r++) {
                        double s = 0;
                        for (int c = 0; c < cols; c++) s += u[(b * rows + r) * cols + c];
                        row[b * rows + r] = beta2 * row[b * rows + r] + (1 - beta2) * (s / cols);
                    }
                    for (int c = 0; c < cols; c++) {
                        double s = 0;
                        for (int r = 0; r < rows; r++) s += u[(b * rows + r) * cols + c];
                        col[b * cols + c] = beta2 * col[b * cols + c] + (1 - beta2) * (s / rows);
                    }
                    double rowMean = 0;
                    for (int r = 0; r < rows; r++) rowMean += row[b * rows + r];
                    rowMean /= rows;
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            double rf = 1 / Math.sqrt(row[b * rows + r] / rowMean);
                            double cf = 1 / Math.sqrt(col[b * cols + c]);
                            int i = (b * rows + r) * cols + c;
                            upd[i] = rf * cf * g[i];
                        }
                    }
                }
            } else {
                double[] s = zeros(st, "exp_avg_sq", n);
                for (int i = 0; i < n; i++) {
                    s[i] = beta2 * s[i] + (1 - beta2) * u[i];
                    upd[i] = 1 / Math.sqrt(s[i]) * g[i];
                }
            }
            double denom = Math.max(1.0, rms(upd) / clip);
            for (int i = 0; i < n; i++) upd[i] = lrT * (upd[i] / denom);
            if (beta1 != null) {
                double[] m = zeros(st, "exp_avg", n);
                for (int i = 0; i < n; i++) {
                    m[i] = beta1 * m[i] + (1 - beta1) * upd[i];
                    upd[i] = m[i];
                }
            }
            for (int i = 0; i < n; i++) {
                double w = wd != 0 ? x[i] + x[i] * (-wd * lrT) : x[i];
                x[i] = w - upd[i];
            }
        };
    }

    @Test void adafactorDefaults() {
        Adafactor opt = new Adafactor();
        assertTrue(!opt.hasLearningRate());
        check("Adafactor", Quadratic.standard(), opt, adafactor(null, 1e-30, 1e-3, 1.0, -0.8, null, 0, true, true), 1e-10);
    }

    @Test void adafactorLearningRateFirstMomentDecay() {
        Adafactor opt = Adafactor.builder().learningRate(0.05).relativeStep(false).beta1(0.9).weightDecay(0.01)
                .scaleParameter(false).clipThreshold(0.5).build();
        check("Adafactor lr", Quadratic.standard(), opt, adafactor(0.05, 1e-30, 1e-3, 0.5, -0.8, 0.9, 0.01, false, false), 1e-10);
    }

    @Test void adafactorWarmupInit() {
        Adafactor opt = Adafactor.builder().warmupInit(true).build();
        check("Adafactor warmup", Quadratic.standard(), opt, adafactor(null, 1e-30, 1e-3, 1.0, -0.8, null, 0, true, true, true), 1e-10);
    }

    @Test void adafactorThreeAxes() {
        Quadratic q = Quadratic.of(new String[] {"k", "s"}, new int[][] {{2, 2, 3}, {}});
        Adafactor opt = Adafactor.builder().decayRate(-0.5).eps(1e-20, 1e-2).build();
        check("Adafactor 3-D", q, opt, adafactor(null, 1e-20, 1e-2, 1.0, -0.5, null, 0, true, true), 1e-10);
        assertEquals(List.of("step", "k.exp_avg_sq_row", "k.exp_avg_sq_col", "s.exp_avg_sq"), List.copyOf(opt.state().keySet()));
    }

    // ------------------------------------------------------------------ Muon

    static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    /** Newton-Schulz orthogonalization of a rows x cols matrix, as in the Muon paper's code. */
    static double[] newtonSchulz(double[] flat, int rows, int cols, int steps) {
        double[][] x = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) x[i][j] = flat[i * cols + j];
        boolean tr = rows > cols;
        if (tr) x = transpose(x);
        double ss = 0;
        for (double[] r : x) for (double e : r) ss += e * e;
        double norm = Math.sqrt(ss) + 1e-7;
        for (double[] r : x) for (int j = 0; j < r.length; j++) r[j] /= norm;
        for (int s = 0; s < steps; s++) {
            double[][] a = matmul(x, transpose(x));
            double[][] aa = matmul(a, a);
            double[][] b = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) b[i][j] = -4.7750 * a[i][j] + 2.0315 * aa[i][j];
            double[][] bx = matmul(b, x);
            for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) x[i][j] = 3.4445 * x[i][j] + bx[i][j];
        }
        if (tr) x = transpose(x);
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[i * cols + j] = x[i][j];
        return out;
    }

    static Ref muon(double lr, double momentum, double wd, boolean nesterov, int nsSteps) {
        double l = f32(lr);
        return (t, p, x, g, st) -> {
            int n = x.length;
            double[] v = zeros(st, "v", n);
            double[] u = new double[n];
            double[] gg = new double[n];
            for (int i = 0; i < n; i++) {
                gg[i] = wd != 0 ? g[i] + wd * x[i] : g[i];
                v[i] = momentum * v[i] + (1 - momentum) * gg[i];
                u[i] = nesterov ? gg[i] * (1 - momentum) + v[i] * momentum : v[i];
            }
            double lrP = l;
            int[] s = p.shape();
            if (s.length >= 2) {
                u = newtonSchulz(u, s[0], n / s[0], nsSteps);
                lrP = l * Math.sqrt(Math.max(1, (double) s[s.length - 2] / s[s.length - 1]));
            }
            for (int i = 0; i < n; i++) x[i] = x[i] - lrP * u[i];
        };
    }

    @Test void muonDefaults() {
        Muon opt = new Muon(0.02);
        assertEquals(0.95, opt.momentum());
        assertEquals(0.01, opt.weightDecay());
        assertTrue(opt.nesterov());
        assertEquals(5, opt.nsSteps());
        check("Muon", Quadratic.standard(), opt, muon(0.02, 0.95, 0.01, true, 5), 1e-10);
    }

    @Test void muonTallAndThreeAxes() {
        // (3, 2) is transposed for Newton-Schulz and scales lr by sqrt(1.5); (2, 3, 1) is flattened
        // to (2, 3) and scales lr by sqrt(3 / 1), from its original last two axes, as MLX does.
        Quadratic q = Quadratic.of(new String[] {"tall", "conv", "bias"}, new int[][] {{3, 2}, {2, 3, 1}, {2}});
        Muon opt = Muon.builder(0.03).momentum(0.8).nesterov(false).weightDecay(0).nsSteps(3).build();
        check("Muon tall", q, opt, muon(0.03, 0.8, 0, false, 3), 1e-10);
    }

    // ------------------------------------------------------------------ MultiOptimizer

    @Test void multiOptimizerRoutesByPredicate() {
        Quadratic q = Quadratic.of(new String[] {"layer.weight", "layer.bias", "head.weight"}, new int[][] {{2, 3}, {3}, {3, 2}});
        MultiOptimizer opt = new MultiOptimizer(List.of(new Adam(0.01), SGD.builder(0.1).momentum(0.9).build()),
                List.of((path, g) -> path.endsWith("weight")));
        Ref adam = adam(0.01, 0.9, 0.999, 1e-8, false, 0);
        Ref sgd = sgd(0.1, 0.9, 0, 0, false);
        Ref ref = (t, p, x, g, st) -> (p.key().endsWith("weight") ? adam : sgd).step(t, p, x, g, st);
        check("MultiOptimizer", q, opt, ref, TIGHT);
        Map<String, Array> s = opt.state();
        assertEquals(List.of("optimizers.0.step", "optimizers.0.learning_rate", "optimizers.0.layer.weight.m",
                "optimizers.0.layer.weight.v", "optimizers.0.head.weight.m", "optimizers.0.head.weight.v",
                "optimizers.1.step", "optimizers.1.learning_rate", "optimizers.1.layer.bias.v"), List.copyOf(s.keySet()));
    }

    @Test void multiOptimizerKeepsParameterOrderAndUntouchedEntries() {
        Map<String, Array> params = new LinkedHashMap<>();
        params.put("a", MX.array(new double[] {1, 2}, DType.FLOAT64, 2));
        params.put("frozen", MX.array(new double[] {5}, DType.FLOAT64, 1));
        params.put("c", MX.array(new double[] {3}, DType.FLOAT64, 1));
        Map<String, Array> grads = new LinkedHashMap<>();
        grads.put("c", MX.array(new double[] {1}, DType.FLOAT64, 1));
        grads.put("a", MX.array(new double[] {1, 1}, DType.FLOAT64, 2));
        MultiOptimizer opt = new MultiOptimizer(List.of(new SGD(1.0), new SGD(0.5)), List.of((k, g) -> k.equals("a")));
        Map<String, Array> out = opt.apply(grads, params);
        assertEquals(List.of("a", "frozen", "c"), List.copyOf(out.keySet()));
        assertTrue(out.get("frozen") == params.get("frozen"), "a parameter without gradient is returned as is");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 1}, out.get("a").toDoubleArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {2.5}, out.get("c").toDoubleArray());
    }
}
