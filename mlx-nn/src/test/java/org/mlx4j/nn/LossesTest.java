package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

class LossesTest {
    static Array f64(double[] v, int... shape) { return MX.array(v, DType.FLOAT64, shape); }

    static Array i32(int[] v, int... shape) { return MX.array(v, shape); }

    /**
     * Checks the unreduced loss against {@code ref} (and its shape), and the MEAN and SUM reductions
     * against the reference's mean and sum.
     */
    static void checkReductions(String name, Function<Reduction, Array> loss, double[] ref, Shape shape, double tol) {
        Array none = loss.apply(Reduction.NONE);
        assertEquals(shape, none.shape(), name + " unreduced shape");
        assertArrayEquals(ref, none.toDoubleArray(), tol, name + " unreduced");
        double s = 0;
        for (double r : ref) s += r;
        Array sum = loss.apply(Reduction.SUM), mean = loss.apply(Reduction.MEAN);
        assertEquals(0, sum.ndim(), name + " sum is a scalar");
        assertEquals(0, mean.ndim(), name + " mean is a scalar");
        assertEquals(s, sum.item(), tol * ref.length, name + " sum");
        assertEquals(s / ref.length, mean.item(), tol, name + " mean");
    }

    static void assertLossError(Executable e, String... parts) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith("[loss] "), ex.getMessage());
        for (String p : parts) assertTrue(ex.getMessage().contains(p), ex.getMessage() + " should contain " + p);
    }

    static double logsumexp(double[] v, int from, int n, int stride) {
        double m = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) m = Math.max(m, v[from + k * stride]);
        double s = 0;
        for (int k = 0; k < n; k++) s += Math.exp(v[from + k * stride] - m);
        return m + Math.log(s);
    }

    // ------------------------------------------------------------------ crossEntropy

    static final double[] LOGITS = {2, -1, 0.5, 30, -20, 3, 3, 0, 0.1, 0.2, -0.3, 5};

    @Test void crossEntropyWithClassIndices() {
        int[] t = {3, 0, 2};
        double[] ref = new double[3];
        for (int i = 0; i < 3; i++) ref[i] = logsumexp(LOGITS, i * 4, 4, 1) - LOGITS[i * 4 + t[i]];
        checkReductions("crossEntropy", r -> Losses.crossEntropy(f64(LOGITS, 3, 4), i32(t, 3), r), ref, Shape.of(3), 1e-12);
        assertArrayEquals(ref, Losses.crossEntropy(f64(LOGITS, 3, 4), i32(t, 3)).toDoubleArray(), 1e-12);

        // weights and label smoothing
        double[] w = {0.5, 2, 0};
        double ls = 0.2;
        double[] refW = new double[3];
        for (int i = 0; i < 3; i++) {
            double mean = 0;
            for (int k = 0; k < 4; k++) mean += LOGITS[i * 4 + k] / 4;
            refW[i] = w[i] * (logsumexp(LOGITS, i * 4, 4, 1) - (1 - ls) * LOGITS[i * 4 + t[i]] - ls * mean);
        }
        checkReductions("crossEntropy weighted smoothed", r -> Losses.crossEntropy(f64(LOGITS, 3, 4), i32(t, 3), f64(w, 3), -1, ls, r),
                refW, Shape.of(3), 1e-12);

        // classes along axis 0: logits (4, 3)
        int[] t0 = {1, 3, 0};
        double[] ref0 = new double[3];
        for (int j = 0; j < 3; j++) ref0[j] = logsumexp(LOGITS, j, 4, 3) - LOGITS[t0[j] * 3 + j];
        checkReductions("crossEntropy axis 0", r -> Losses.crossEntropy(f64(LOGITS, 4, 3), i32(t0, 3), null, 0, 0, r), ref0, Shape.of(3), 1e-12);
    }

    @Test void crossEntropyWithProbabilityTargets() {
        double[] p = {0.1, 0.2, 0.3, 0.4, 1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25};
        double[] ref = new double[3];
        double[] refS = new double[3];
        double ls = 0.1;
        for (int i = 0; i < 3; i++) {
            double score = 0, mean = 0;
            for (int k = 0; k < 4; k++) {
                score += p[i * 4 + k] * LOGITS[i * 4 + k];
                mean += LOGITS[i * 4 + k] / 4;
            }
            ref[i] = logsumexp(LOGITS, i * 4, 4, 1) - score;
            refS[i] = logsumexp(LOGITS, i * 4, 4, 1) - (1 - ls) * score - ls * mean;
        }
        checkReductions("crossEntropy probs", r -> Losses.crossEntropy(f64(LOGITS, 3, 4), f64(p, 3, 4), r), ref, Shape.of(3), 1e-12);
        checkReductions("crossEntropy probs smoothed", r -> Losses.crossEntropy(f64(LOGITS, 3, 4), f64(p, 3, 4), null, -1, ls, r),
                refS, Shape.of(3), 1e-12);
        // one-hot probabilities equal class indices
        double[] oneHot = {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0};
        assertArrayEquals(Losses.crossEntropy(f64(LOGITS, 3, 4), i32(new int[] {3, 0, 2}, 3)).toDoubleArray(),
                Losses.crossEntropy(f64(LOGITS, 3, 4), f64(oneHot, 3, 4)).toDoubleArray(), 1e-12);
    }

    @Test void crossEntropyRejectsBadShapes() {
        Array logits = f64(LOGITS, 3, 4);
        assertLossError(() -> Losses.crossEntropy(logits, i32(new int[] {1, 2}, 2)), "crossEntropy", "(3,)", "(2,)");
        assertLossError(() -> Losses.crossEntropy(logits, MX.zeros(new int[] {3, 3}, DType.FLOAT64)), "crossEntropy", "(3, 4)", "(3, 3)");
        assertLossError(() -> Losses.crossEntropy(logits, i32(new int[] {1, 2, 0}, 3), MX.ones(4), -1, 0, Reduction.NONE), "weights", "(4,)");
        assertLossError(() -> Losses.crossEntropy(logits, i32(new int[] {1, 2, 0}, 3), null, -1, 1.0, Reduction.NONE), "labelSmoothing");
        assertLossError(() -> Losses.crossEntropy(logits, i32(new int[] {1, 2, 0}, 3), null, 2, 0, Reduction.NONE), "axis 2");
    }

    // ------------------------------------------------------------------ binaryCrossEntropy

    @Test void binaryCrossEntropyWithLogits() {
        double[] x = {-30, -2, -0.5, 0, 0.7, 3, 40, 800};
        double[] t = {0, 1, 1, 0, 1, 0, 1, 0};
        double[] ref = new double[x.length];
        for (int i = 0; i < x.length; i++) ref[i] = Math.max(x[i], 0) - x[i] * t[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        checkReductions("binaryCrossEntropy", r -> Losses.binaryCrossEntropy(f64(x, 8), f64(t, 8), r), ref, Shape.of(8), 1e-12);
        // MLX's default is the mean
        double mean = 0;
        for (double r : ref) mean += r / ref.length;
        assertEquals(mean, Losses.binaryCrossEntropy(f64(x, 8), f64(t, 8)).item(), 1e-12);
        // integer targets are fine
        int[] ti = {0, 1, 1, 0, 1, 0, 1, 0};
        assertArrayEquals(ref, Losses.binaryCrossEntropy(f64(x, 8), i32(ti, 8), Reduction.NONE).toDoubleArray(), 1e-12);
        // weights
        double[] w = {1, 2, 3, 0, 0.5, 1, 1, 2};
        double[] refW = new double[x.length];
        for (int i = 0; i < x.length; i++) refW[i] = w[i] * ref[i];
        checkReductions("binaryCrossEntropy weighted", r -> Losses.binaryCrossEntropy(f64(x, 8), f64(t, 8), f64(w, 8), true, r), refW, Shape.of(8), 1e-12);
        // gradient with respect to the logits is sigmoid(x) - t
        double[] g = MX.grad((Array a) -> Losses.binaryCrossEntropy(a, f64(t, 8), Reduction.SUM)).apply(f64(x, 8)).toDoubleArray();
        for (int i = 0; i < x.length; i++) assertEquals(1 / (1 + Math.exp(-x[i])) - t[i], g[i], 1e-12, "gradient at " + x[i]);
    }

    @Test void binaryCrossEntropyWithProbabilitiesClipsLogs() {
        double[] p = {0, 0.1, 0.5, 0.9, 1, 0.3};
        double[] t = {0, 0, 1, 1, 1, 1};
        double[] ref = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            ref[i] = -(t[i] * Math.max(Math.log(p[i]), -100) + (1 - t[i]) * Math.max(Math.log(1 - p[i]), -100));
        }
        checkReductions("binaryCrossEntropy probs", r -> Losses.binaryCrossEntropy(f64(p, 2, 3), f64(t, 2, 3), null, false, r),
                ref, Shape.of(2, 3), 1e-12);
        double[] wrong = {1, 1, 1, 0, 0, 0};
        double[] refWrong = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            refWrong[i] = -(wrong[i] * Math.max(Math.log(p[i]), -100) + (1 - wrong[i]) * Math.max(Math.log(1 - p[i]), -100));
        }
        assertEquals(100.0, refWrong[0], 0.0);
        assertArrayEquals(refWrong, Losses.binaryCrossEntropy(f64(p, 2, 3), f64(wrong, 2, 3), null, false, Reduction.NONE).toDoubleArray(), 1e-12);
        assertLossError(() -> Losses.binaryCrossEntropy(f64(p, 6), f64(t, 2, 3)), "binaryCrossEntropy", "(6,)", "(2, 3)");
        assertLossError(() -> Losses.binaryCrossEntropy(f64(p, 6), f64(t, 6), MX.ones(3), true, Reduction.MEAN), "binaryCrossEntropy", "weights");
    }

    // ------------------------------------------------------------------ nllLoss

    @Test void nllLossPicksTheTargetLogProbability() {
        Array logp = Activations.logSoftmax(f64(LOGITS, 3, 4));
        double[] lp = logp.toDoubleArray();
        int[] t = {1, 3, 0};
        double[] ref = {-lp[1], -lp[4 + 3], -lp[8]};
        checkReductions("nllLoss", r -> Losses.nllLoss(logp, i32(t, 3), r), ref, Shape.of(3), 1e-12);
        assertArrayEquals(ref, Losses.nllLoss(logp, i32(t, 3)).toDoubleArray(), 1e-12);
        // classes along axis 0 of a (3, 4): targets of shape (4,)
        int[] t0 = {2, 0, 1, 2};
        double[] ref0 = new double[4];
        for (int j = 0; j < 4; j++) ref0[j] = -lp[t0[j] * 4 + j];
        checkReductions("nllLoss axis 0", r -> Losses.nllLoss(logp, i32(t0, 4), 0, r), ref0, Shape.of(4), 1e-12);
        assertLossError(() -> Losses.nllLoss(logp, i32(new int[] {1, 2}, 2)), "nllLoss", "(3,)", "(2,)");
        assertLossError(() -> Losses.nllLoss(logp, MX.zeros(3)), "nllLoss", "integer");
        assertLossError(() -> Losses.nllLoss(logp, i32(t, 3), 5, Reduction.NONE), "nllLoss", "axis 5");
    }

    // ------------------------------------------------------------------ regression losses

    static final double[] PRED = {0.5, -1.2, 3, 0.1, 2.5, -4, 0.95, 7};
    static final double[] TARG = {0, -1, 1, 0.1, 0.5, -3.2, 0, -1};

    @Test void mseAndL1DefaultToTheMean() {
        double[] mse = new double[8], l1 = new double[8];
        for (int i = 0; i < 8; i++) {
            mse[i] = (PRED[i] - TARG[i]) * (PRED[i] - TARG[i]);
            l1[i] = Math.abs(PRED[i] - TARG[i]);
        }
        checkReductions("mseLoss", r -> Losses.mseLoss(f64(PRED, 2, 4), f64(TARG, 2, 4), r), mse, Shape.of(2, 4), 1e-12);
        checkReductions("l1Loss", r -> Losses.l1Loss(f64(PRED, 2, 4), f64(TARG, 2, 4), r), l1, Shape.of(2, 4), 1e-12);
        double m1 = 0, m2 = 0;
        for (int i = 0; i < 8; i++) {
            m1 += mse[i] / 8;
            m2 += l1[i] / 8;
        }
        assertEquals(m1, Losses.mseLoss(f64(PRED, 2, 4), f64(TARG, 2, 4)).item(), 1e-12);
        assertEquals(m2, Losses.l1Loss(f64(PRED, 2, 4), f64(TARG, 2, 4)).item(), 1e-12);
        assertLossError(() -> Losses.mseLoss(f64(PRED, 8), f64(TARG, 2, 4)), "mseLoss", "(8,)", "(2, 4)");
        assertLossError(() -> Losses.l1Loss(f64(PRED, 8), f64(TARG, 2, 4)), "l1Loss", "(8,)", "(2, 4)");
    }

    static double smoothL1Ref(double p, double t, double beta) {
        double d = Math.abs(p - t);
        return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
    }

    static double huberRef(double p, double t, double delta) {
        double a = Math.abs(p - t);
        return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    }

    @Test void smoothL1AndHuber() {
        for (double beta : new double[] {1, 0.5, 2}) {
            double[] ref = new double[8];
            for (int i = 0; i < 8; i++) ref[i] = smoothL1Ref(PRED[i], TARG[i], beta);
            checkReductions("smoothL1Loss beta " + beta, r -> Losses.smoothL1Loss(f64(PRED, 8), f64(TARG, 8), beta, r), ref, Shape.of(8), 1e-12);
            if (beta == 1) {
                double m = 0;
                for (double v : ref) m += v / 8;
                assertEquals(m, Losses.smoothL1Loss(f64(PRED, 8), f64(TARG, 8)).item(), 1e-12);
            }
        }
        double[] l1 = new double[8];
        for (int i = 0; i < 8; i++) l1[i] = Math.abs(PRED[i] - TARG[i]);
        assertArrayEquals(l1, Losses.smoothL1Loss(f64(PRED, 8), f64(TARG, 8), 0, Reduction.NONE).toDoubleArray(), 1e-12);
        assertLossError(() -> Losses.smoothL1Loss(f64(PRED, 8), f64(TARG, 8), -1, Reduction.NONE), "smoothL1Loss", "beta");
        assertLossError(() -> Losses.smoothL1Loss(f64(PRED, 8), f64(TARG, 2, 4)), "smoothL1Loss", "(8,)");

        for (double delta : new double[] {1, 0.3, 2.5}) {
            double[] ref = new double[8];
            for (int i = 0; i < 8; i++) ref[i] = huberRef(PRED[i], TARG[i], delta);
            checkReductions("huberLoss delta " + delta, r -> Losses.huberLoss(f64(PRED, 8), f64(TARG, 8), delta, r), ref, Shape.of(8), 1e-12);
            if (delta == 1) assertArrayEquals(ref, Losses.huberLoss(f64(PRED, 8), f64(TARG, 8)).toDoubleArray(), 1e-12);
        }
        assertLossError(() -> Losses.huberLoss(f64(PRED, 8), f64(TARG, 2, 4)), "huberLoss", "(8,)", "(2, 4)");
    }

    @Test void logCoshIsStableForLargeErrors() {
        double[] p = {0.5, -1.2, 800, -900, 0, 3};
        double[] t = {0, -1, 0, 0, 0, 3};
        double[] ref = new double[6];
        for (int i = 0; i < 6; i++) {
            double a = Math.abs(p[i] - t[i]);
            ref[i] = a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
        }
        checkReductions("logCoshLoss", r -> Losses.logCoshLoss(f64(p, 6), f64(t, 6), r), ref, Shape.of(6), 1e-9);
        assertEquals(Math.log(Math.cosh(0.5)), ref[0], 1e-15);
        assertArrayEquals(ref, Losses.logCoshLoss(f64(p, 6), f64(t, 6)).toDoubleArray(), 1e-9);
        assertLossError(() -> Losses.logCoshLoss(f64(p, 6), f64(t, 2, 3)), "logCoshLoss", "(6,)", "(2, 3)");
    }

    @Test void gaussianNllLoss() {
        double[] mu = {0.5, -1, 2, 0, 3, 1};
        double[] y = {0, -1.5, 2.5, 0.3, -1, 1};
        double[] v = {1, 0.25, 4, 0, 2, 1e-9};
        double eps = 1e-6;
        for (boolean full : new boolean[] {false, true}) {
            double[] ref = new double[6];
            for (int i = 0; i < 6; i++) {
                double vv = Math.max(v[i], eps);
                ref[i] = 0.5 * (Math.log(vv) + (y[i] - mu[i]) * (y[i] - mu[i]) / vv) + (full ? 0.5 * Math.log(2 * Math.PI) : 0);
            }
            checkReductions("gaussianNllLoss full=" + full, r -> Losses.gaussianNllLoss(f64(mu, 2, 3), f64(y, 2, 3), f64(v, 2, 3), full, eps, r),
                    ref, Shape.of(2, 3), 1e-9);
            if (!full) {
                double m = 0;
                for (double r : ref) m += r / 6;
                assertEquals(m, Losses.gaussianNllLoss(f64(mu, 2, 3), f64(y, 2, 3), f64(v, 2, 3)).item(), 1e-9);
            }
        }
        assertLossError(() -> Losses.gaussianNllLoss(f64(mu, 6), f64(y, 2, 3), f64(v, 2, 3)), "gaussianNllLoss", "targets");
        assertLossError(() -> Losses.gaussianNllLoss(f64(mu, 6), f64(y, 6), f64(v, 2, 3)), "gaussianNllLoss", "vars");
    }

    // ------------------------------------------------------------------ classification margins

    @Test void hingeAndMarginRanking() {
        double[] x = {0.3, -2, 1.5, 0.9, -0.1, 4};
        double[] t = {1, -1, -1, 1, 1, -1};
        double[] ref = new double[6];
        for (int i = 0; i < 6; i++) ref[i] = Math.max(0, 1 - x[i] * t[i]);
        checkReductions("hingeLoss", r -> Losses.hingeLoss(f64(x, 6), f64(t, 6), r), ref, Shape.of(6), 1e-12);
        assertArrayEquals(ref, Losses.hingeLoss(f64(x, 6), f64(t, 6)).toDoubleArray(), 1e-12);
        assertLossError(() -> Losses.hingeLoss(f64(x, 6), f64(t, 2, 3)), "hingeLoss", "(6,)", "(2, 3)");

        double[] x2 = {0.5, -2.5, 1, 1.2, 0.4, 3};
        for (double margin : new double[] {0, 0.3}) {
            double[] refM = new double[6];
            for (int i = 0; i < 6; i++) refM[i] = Math.max(0, -t[i] * (x[i] - x2[i]) + margin);
            checkReductions("marginRankingLoss " + margin, r -> Losses.marginRankingLoss(f64(x, 6), f64(x2, 6), f64(t, 6), margin, r),
                    refM, Shape.of(6), 1e-12);
            if (margin == 0) assertArrayEquals(refM, Losses.marginRankingLoss(f64(x, 6), f64(x2, 6), f64(t, 6)).toDoubleArray(), 1e-12);
        }
        assertLossError(() -> Losses.marginRankingLoss(f64(x, 6), f64(x2, 6), f64(t, 2, 3)), "marginRankingLoss", "(2, 3)");
    }

    // ------------------------------------------------------------------ distributions and embeddings

    @Test void klDivLossTakesLogProbabilities() {
        double[] a = {0.2, 0.3, 0.5, 0.9, 0.05, 0.05};
        double[] b = {0.1, 0.6, 0.3, 0.3, 0.3, 0.4};
        double[] la = new double[6], lb = new double[6];
        for (int i = 0; i < 6; i++) {
            la[i] = Math.log(a[i]);
            lb[i] = Math.log(b[i]);
        }
        double[] ref = new double[2];
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 3; k++) ref[r] += b[r * 3 + k] * (lb[r * 3 + k] - la[r * 3 + k]);
        }
        checkReductions("klDivLoss", r -> Losses.klDivLoss(f64(la, 2, 3), f64(lb, 2, 3), -1, r), ref, Shape.of(2), 1e-12);
        assertArrayEquals(ref, Losses.klDivLoss(f64(la, 2, 3), f64(lb, 2, 3)).toDoubleArray(), 1e-12);
        // along axis 0 of the (3, 2) transposes
        double[] ref0 = new double[2];
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < 3; k++) ref0[c] += Math.exp(lb[k * 2 + c]) * (lb[k * 2 + c] - la[k * 2 + c]);
        }
        checkReductions("klDivLoss axis 0", r -> Losses.klDivLoss(f64(la, 3, 2), f64(lb, 3, 2), 0, r), ref0, Shape.of(2), 1e-12);
        assertEquals(0.0, Losses.klDivLoss(f64(la, 2, 3), f64(la, 2, 3), -1, Reduction.SUM).item(), 1e-15);
        assertLossError(() -> Losses.klDivLoss(f64(la, 6), MX.zeros(2, 4)), "klDivLoss", "(6,)", "(2, 4)");
        assertLossError(() -> Losses.klDivLoss(f64(la, 2, 3), f64(lb, 2, 3), 3, Reduction.NONE), "klDivLoss", "axis 3");
    }

    @Test void cosineSimilarity() {
        double[] x1 = {1, 2, 3, 0, 0, 0, 0, 0, -1, 0.5, 2, 2};
        double[] x2 = {2, 4, 6, 1, 1, 1, 1, 1, 3, -1, 0.5, 1};
        // axis 1 (MLX's default) of (3, 4)
        double[] ref = new double[3];
        for (int i = 0; i < 3; i++) {
            double dot = 0, n1 = 0, n2 = 0;
            for (int k = 0; k < 4; k++) {
                dot += x1[i * 4 + k] * x2[i * 4 + k];
                n1 += x1[i * 4 + k] * x1[i * 4 + k];
                n2 += x2[i * 4 + k] * x2[i * 4 + k];
            }
            ref[i] = dot / Math.max(Math.sqrt(n1) * Math.sqrt(n2), 1e-8);
        }
        checkReductions("cosineSimilarityLoss", r -> Losses.cosineSimilarityLoss(f64(x1, 3, 4), f64(x2, 3, 4), 1, 1e-8, r), ref, Shape.of(3), 1e-12);
        assertArrayEquals(ref, Losses.cosineSimilarityLoss(f64(x1, 3, 4), f64(x2, 3, 4)).toDoubleArray(), 1e-12);
        // axis 0 of (3, 4): one value per column
        double[] ref0 = new double[4];
        for (int c = 0; c < 4; c++) {
            double dot = 0, n1 = 0, n2 = 0;
            for (int k = 0; k < 3; k++) {
                dot += x1[k * 4 + c] * x2[k * 4 + c];
                n1 += x1[k * 4 + c] * x1[k * 4 + c];
                n2 += x2[k * 4 + c] * x2[k * 4 + c];
            }
            ref0[c] = dot / Math.max(Math.sqrt(n1) * Math.sqrt(n2), 1e-8);
        }
        checkReductions("cosineSimilarityLoss axis 0", r -> Losses.cosineSimilarityLoss(f64(x1, 3, 4), f64(x2, 3, 4), 0, 1e-8, r),
                ref0, Shape.of(4), 1e-12);
        assertLossError(() -> Losses.cosineSimilarityLoss(f64(x1, 3, 4), f64(x2, 4, 3)), "cosineSimilarityLoss", "(3, 4)", "(4, 3)");
        assertLossError(() -> Losses.cosineSimilarityLoss(f64(x1, 12), f64(x2, 12)), "cosineSimilarityLoss", "axis 1");
    }

    static double tripletRef(double[] a, double[] p, double[] n, int row, int d, int deg, double margin, double eps) {
        double sp = 0, sn = 0;
        for (int k = 0; k < d; k++) {
            sp += Math.pow(Math.abs(a[row * d + k] - p[row * d + k]), deg);
            sn += Math.pow(Math.abs(a[row * d + k] - n[row * d + k]), deg);
        }
        return Math.max(Math.pow(sp + eps, 1.0 / deg) - Math.pow(sn + eps, 1.0 / deg) + margin, 0);
    }

    @Test void tripletLoss() {
        double[] a = {0, 0, 0, 1, 1, 1, 2, -1, 0.5};
        double[] p = {0.1, 0, -0.2, 1, 1.5, 1, 0, 0, 0};
        double[] n = {3, 0, 0, 1.2, 1, 0.9, 2, -1, 0.6};
        for (int deg : new int[] {2, 1, 3}) {
            for (double margin : new double[] {1, 0.25}) {
                double[] ref = new double[3];
                for (int i = 0; i < 3; i++) ref[i] = tripletRef(a, p, n, i, 3, deg, margin, 1e-6);
                checkReductions("tripletLoss p=" + deg + " margin=" + margin,
                        r -> Losses.tripletLoss(f64(a, 3, 3), f64(p, 3, 3), f64(n, 3, 3), -1, deg, margin, 1e-6, r), ref, Shape.of(3), 1e-12);
                if (deg == 2 && margin == 1) {
                    assertArrayEquals(ref, Losses.tripletLoss(f64(a, 3, 3), f64(p, 3, 3), f64(n, 3, 3)).toDoubleArray(), 1e-12);
                    // MLX's p = 2 formula: sqrt(sum(d^2) + eps)
                    double sp = 0.01 + 0.04 + 1e-6, sn = 9 + 1e-6;
                    assertEquals(Math.max(Math.sqrt(sp) - Math.sqrt(sn) + 1, 0), ref[0], 1e-15);
                }
            }
        }
        assertLossError(() -> Losses.tripletLoss(f64(a, 3, 3), f64(p, 9), f64(n, 3, 3)), "tripletLoss", "(9,)");
        assertLossError(() -> Losses.tripletLoss(f64(a, 3, 3), f64(p, 3, 3), f64(n, 3, 3), -1, 0, 1, 1e-6, Reduction.NONE), "tripletLoss", "p");
        assertLossError(() -> Losses.tripletLoss(f64(a, 3, 3), f64(p, 3, 3), f64(n, 3, 3), 2, 2, 1, 1e-6, Reduction.NONE), "tripletLoss", "axis 2");
    }

    @Test void defaultReductionsAreMlxs() {
        Array x = f64(PRED, 2, 4), y = f64(TARG, 2, 4), v = MX.onesLike(x);
        // MEAN by default
        assertEquals(0, Losses.mseLoss(x, y).ndim());
        assertEquals(0, Losses.l1Loss(x, y).ndim());
        assertEquals(0, Losses.smoothL1Loss(x, y).ndim());
        assertEquals(0, Losses.binaryCrossEntropy(x, MX.onesLike(x)).ndim());
        assertEquals(0, Losses.gaussianNllLoss(x, y, v).ndim());
        // NONE by default
        assertEquals(x.shape(), Losses.huberLoss(x, y).shape());
        assertEquals(x.shape(), Losses.hingeLoss(x, y).shape());
        assertEquals(x.shape(), Losses.logCoshLoss(x, y).shape());
        assertEquals(x.shape(), Losses.marginRankingLoss(x, y, v).shape());
        assertEquals(Shape.of(2), Losses.klDivLoss(x, y).shape());
        assertEquals(Shape.of(2), Losses.cosineSimilarityLoss(x, y).shape());
        assertEquals(Shape.of(2), Losses.tripletLoss(x, y, v).shape());
        assertEquals(Shape.of(2), Losses.nllLoss(x, i32(new int[] {0, 3}, 2)).shape());
        assertEquals(Shape.of(2), Losses.crossEntropy(x, i32(new int[] {0, 3}, 2)).shape());
    }
}
