package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class NormalizationTest {
    private static final double TOL = 1e-10;

    static double[] randn(long seed, int n) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextGaussian() * 2 + 0.5;
        return d;
    }

    static Array f64(double[] d, int... shape) { return MX.array(d, DType.FLOAT64, shape); }

    /** Sets every parameter of {@code m} named in {@code names} to float64 random values. */
    static void randomize(Module m, long seed, String... names) {
        Map<String, Array> p = m.parameters();
        int k = 0;
        for (String n : names) {
            Array a = p.get(n);
            m.update(Map.of(n, f64(randn(seed + k++, (int) a.size()), a.shape().toArray())));
        }
    }

    static void assertThrowsWith(String prefix, Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage());
    }

    // ------------------------------------------------------------------ LayerNorm / RMSNorm

    @Test void layerNormMatchesLoops() {
        int rows = 6, d = 5;
        double eps = 1e-5;
        LayerNorm ln = new LayerNorm(d);
        LayerChecks.assertKeys(ln, "weight", "bias");
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, ln.parameters().get("weight").toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, ln.parameters().get("bias").toDoubleArray());
        randomize(ln, 3, "weight", "bias");
        double[] w = ln.parameters().get("weight").toDoubleArray(), b = ln.parameters().get("bias").toDoubleArray();
        double[] x = randn(1, rows * d);
        Array y = ln.forward(f64(x, 2, 3, d));
        assertEquals(List.of(2, 3, d), List.of(y.dim(0), y.dim(1), y.dim(2)));
        assertEquals(DType.FLOAT64, y.dtype());
        double[] got = y.toDoubleArray();
        for (int r = 0; r < rows; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < d; j++) mean += x[r * d + j] / d;
            for (int j = 0; j < d; j++) var += (x[r * d + j] - mean) * (x[r * d + j] - mean) / d;
            for (int j = 0; j < d; j++) {
                assertEquals((x[r * d + j] - mean) / Math.sqrt(var + eps) * w[j] + b[j], got[r * d + j], TOL);
            }
        }
    }

    @Test void layerNormOptions() {
        LayerChecks.assertKeys(new LayerNorm(4, 1e-5, false, true));
        LayerChecks.assertKeys(new LayerNorm(4, 1e-5, true, false), "weight");
        // without affine the output has zero mean and unit (biased) variance per row
        double[] y = new LayerNorm(4, 0, false, false).forward(f64(new double[] {1, 2, 3, 6}, 1, 4)).toDoubleArray();
        double m = (1 + 2 + 3 + 6) / 4.0, v = ((1 - m) * (1 - m) + (2 - m) * (2 - m) + (3 - m) * (3 - m) + (6 - m) * (6 - m)) / 4;
        assertArrayEquals(new double[] {(1 - m) / Math.sqrt(v), (2 - m) / Math.sqrt(v), (3 - m) / Math.sqrt(v), (6 - m) / Math.sqrt(v)}, y, TOL);
        // half precision: computed in float32, returned in float16
        Array h = new LayerNorm(4, 1e-5, false, false).forward(MX.astype(f64(new double[] {1, 2, 3, 6}, 1, 4), DType.FLOAT16));
        assertEquals(DType.FLOAT16, h.dtype());
        assertArrayEquals(y, h.toDoubleArray(), 2e-3);
    }

    @Test void rmsNormMatchesLoops() {
        int rows = 4, d = 3;
        double eps = 1e-5;
        RMSNorm n = new RMSNorm(d);
        LayerChecks.assertKeys(n, "weight");
        assertArrayEquals(new double[] {1, 1, 1}, n.parameters().get("weight").toDoubleArray());
        randomize(n, 5, "weight");
        double[] w = n.parameters().get("weight").toDoubleArray();
        double[] x = randn(2, rows * d);
        double[] got = n.forward(f64(x, rows, d)).toDoubleArray();
        for (int r = 0; r < rows; r++) {
            double ms = 0;
            for (int j = 0; j < d; j++) ms += x[r * d + j] * x[r * d + j] / d;
            for (int j = 0; j < d; j++) assertEquals(x[r * d + j] / Math.sqrt(ms + eps) * w[j], got[r * d + j], TOL);
        }
    }

    // ------------------------------------------------------------------ GroupNorm

    /** Group norm by loops over (N, S, C), with group(c) given. */
    static double[] groupNormRef(double[] x, int n, int s, int c, int groups, boolean contiguous, double eps, double[] w, double[] b) {
        double[] out = new double[x.length];
        int gs = c / groups;
        for (int bi = 0; bi < n; bi++) {
            for (int g = 0; g < groups; g++) {
                double mean = 0, var = 0;
                int count = s * gs;
                for (int p = 0; p < s; p++) for (int ch = 0; ch < c; ch++) if ((contiguous ? ch / gs : ch % groups) == g) mean += x[(bi * s + p) * c + ch] / count;
                for (int p = 0; p < s; p++) for (int ch = 0; ch < c; ch++) if ((contiguous ? ch / gs : ch % groups) == g) {
                    double dlt = x[(bi * s + p) * c + ch] - mean;
                    var += dlt * dlt / count;
                }
                for (int p = 0; p < s; p++) for (int ch = 0; ch < c; ch++) if ((contiguous ? ch / gs : ch % groups) == g) {
                    int i = (bi * s + p) * c + ch;
                    out[i] = (x[i] - mean) / Math.sqrt(var + eps) * w[ch] + b[ch];
                }
            }
        }
        return out;
    }

    @Test void groupNormMatchesLoopsInBothGroupings() {
        int n = 2, h = 2, wd = 3, c = 6, groups = 3;
        double[] x = randn(7, n * h * wd * c);
        for (boolean pt : new boolean[] {false, true}) {
            GroupNorm gn = new GroupNorm(groups, c, 1e-5, true, pt);
            LayerChecks.assertKeys(gn, "bias", "weight");
            randomize(gn, 11, "weight", "bias");
            double[] w = gn.parameters().get("weight").toDoubleArray(), b = gn.parameters().get("bias").toDoubleArray();
            Array y = gn.forward(f64(x, n, h, wd, c));
            assertEquals(x.length, y.size());
            assertEquals(4, y.ndim());
            assertArrayEquals(groupNormRef(x, n, h * wd, c, groups, pt, 1e-5, w, b), y.toDoubleArray(), TOL, "pytorchCompatible=" + pt);
        }
        // the two groupings differ on the same input
        double[] a = new GroupNorm(groups, c).forward(f64(x, n, h * wd, c)).toDoubleArray();
        double[] p = new GroupNorm(groups, c, 1e-5, true, true).forward(f64(x, n, h * wd, c)).toDoubleArray();
        assertFalse(java.util.Arrays.equals(a, p));
        LayerChecks.assertKeys(new GroupNorm(2, 4, 1e-5, false, false));
    }

    // ------------------------------------------------------------------ InstanceNorm

    @Test void instanceNormMatchesLoops() {
        int n = 2, l = 5, c = 3;
        InstanceNorm in = new InstanceNorm(c);
        LayerChecks.assertKeys(in);
        double[] x = randn(13, n * l * c);
        double[] got = in.forward(f64(x, n, l, c)).toDoubleArray();
        InstanceNorm aff = new InstanceNorm(c, 1e-5, true);
        LayerChecks.assertKeys(aff, "weight", "bias");
        randomize(aff, 17, "weight", "bias");
        double[] w = aff.parameters().get("weight").toDoubleArray(), b = aff.parameters().get("bias").toDoubleArray();
        double[] gotAff = aff.forward(f64(x, n, l, c)).toDoubleArray();
        for (int bi = 0; bi < n; bi++) {
            for (int ch = 0; ch < c; ch++) {
                double mean = 0, var = 0;
                for (int p = 0; p < l; p++) mean += x[(bi * l + p) * c + ch] / l;
                for (int p = 0; p < l; p++) var += Math.pow(x[(bi * l + p) * c + ch] - mean, 2) / l;
                for (int p = 0; p < l; p++) {
                    int i = (bi * l + p) * c + ch;
                    double z = (x[i] - mean) / Math.sqrt(var + 1e-5);
                    assertEquals(z, got[i], TOL);
                    assertEquals(z * w[ch] + b[ch], gotAff[i], TOL);
                }
            }
        }
        // (N, H, W, C): statistics over H and W together
        Array y4 = in.forward(f64(randn(19, 2 * 2 * 3 * 3), 2, 2, 3, 3));
        double[] m = MX.mean(y4, 1, 2).toDoubleArray();
        for (double v : m) assertEquals(0, v, 1e-12);
    }

    // ------------------------------------------------------------------ BatchNorm

    @Test void batchNormKeysAndFreezing() {
        BatchNorm bn = new BatchNorm(3);
        LayerChecks.assertKeys(bn, "weight", "bias", "running_mean", "running_var");
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.trainableParameters().keySet()));
        assertArrayEquals(new double[] {0, 0, 0}, bn.runningMean().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, bn.runningVar().toDoubleArray());
        assertTrue(bn.isFrozen("running_mean") && bn.isFrozen("running_var"));
        bn.unfreeze();
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.trainableParameters().keySet()));
        bn.unfreeze("running_mean");
        assertTrue(bn.isFrozen("running_mean"));
        Sequential s = new Sequential(new Linear(2, 3), new BatchNorm(3));
        s.freeze();
        s.unfreeze();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"), List.copyOf(s.trainableParameters().keySet()));
        LayerChecks.assertKeys(new BatchNorm(3, 1e-5, 0.1, false, true), "running_mean", "running_var");
        LayerChecks.assertKeys(new BatchNorm(3, 1e-5, 0.1, true, false), "weight", "bias");
        // a gradient step sees only weight and bias
        Array x = MX.normal(new int[] {4, 3}, MX.key(2));
        var g = NN.valueAndGrad(bn, (m, in) -> MX.sum(MX.square(m.forward(in[0])))).apply(x).grad();
        assertEquals(List.of("weight", "bias"), List.copyOf(g.keySet()));
    }

    /** Per-feature mean and biased variance of a (rows, c) block. */
    static double[][] stats(double[] x, int rows, int c) {
        double[] mean = new double[c], var = new double[c];
        for (int r = 0; r < rows; r++) for (int j = 0; j < c; j++) mean[j] += x[r * c + j] / rows;
        for (int r = 0; r < rows; r++) for (int j = 0; j < c; j++) var[j] += Math.pow(x[r * c + j] - mean[j], 2) / rows;
        return new double[][] {mean, var};
    }

    @Test void batchNormTrainingUpdatesRunningStatsAndEvalUsesThem() {
        int n = 2, l = 3, c = 4;
        double eps = 1e-5, mom = 0.1;
        BatchNorm bn = new BatchNorm(c);
        bn.setDtype(DType.FLOAT64);
        randomize(bn, 23, "weight", "bias");
        double[] w = bn.parameters().get("weight").toDoubleArray(), b = bn.parameters().get("bias").toDoubleArray();
        double[] x1 = randn(29, n * l * c), x2 = randn(31, n * l * c);
        double[] rm = {0, 0, 0, 0}, rv = {1, 1, 1, 1};
        for (double[] x : new double[][] {x1, x2}) {
            double[] got = bn.forward(f64(x, n, l, c)).toDoubleArray();
            MX.eval(bn.parameters());
            double[][] s = stats(x, n * l, c);
            for (int i = 0; i < x.length; i++) {
                int j = i % c;
                assertEquals((x[i] - s[0][j]) / Math.sqrt(s[1][j] + eps) * w[j] + b[j], got[i], TOL);
            }
            for (int j = 0; j < c; j++) {
                rm[j] = (1 - mom) * rm[j] + mom * s[0][j];
                rv[j] = (1 - mom) * rv[j] + mom * s[1][j];
            }
        }
        assertArrayEquals(rm, bn.runningMean().toDoubleArray(), TOL);
        assertArrayEquals(rv, bn.runningVar().toDoubleArray(), TOL);
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.trainableParameters().keySet()));

        bn.eval();
        double[] x3 = randn(37, n * l * c);
        double[] got = bn.forward(f64(x3, n, l, c)).toDoubleArray();
        for (int i = 0; i < x3.length; i++) {
            int j = i % c;
            assertEquals((x3[i] - rm[j]) / Math.sqrt(rv[j] + eps) * w[j] + b[j], got[i], TOL);
        }
        // evaluation leaves the running statistics alone
        assertArrayEquals(rm, bn.runningMean().toDoubleArray(), TOL);
    }

    @Test void batchNormShapesAndNoTracking() {
        BatchNorm bn = new BatchNorm(3);
        assertArrayEquals(new int[] {5, 3}, bn.forward(MX.normal(5, 3)).shape().toArray());
        assertArrayEquals(new int[] {2, 4, 3}, bn.forward(MX.normal(2, 4, 3)).shape().toArray());
        assertArrayEquals(new int[] {2, 4, 5, 3}, bn.forward(MX.normal(2, 4, 5, 3)).shape().toArray());
        // (N, H, W, C): statistics over N, H and W
        double[] x = randn(41, 2 * 2 * 2 * 3);
        BatchNorm plain = new BatchNorm(3, 1e-5, 0.1, false, false);
        double[] got = plain.forward(f64(x, 2, 2, 2, 3)).toDoubleArray();
        double[][] s = stats(x, 8, 3);
        for (int i = 0; i < x.length; i++) assertEquals((x[i] - s[0][i % 3]) / Math.sqrt(s[1][i % 3] + 1e-5), got[i], TOL);
        // without running statistics evaluation still uses the batch's
        plain.eval();
        assertArrayEquals(got, plain.forward(f64(x, 2, 2, 2, 3)).toDoubleArray(), 0);
    }

    @Test void batchNormEvalDiffersFromTraining() {
        BatchNorm bn = new BatchNorm(2);
        Array x = f64(randn(43, 8), 4, 2);
        double[] train = bn.forward(x).toDoubleArray();
        bn.eval();
        assertNotEquals(train[0], bn.forward(x).toDoubleArray()[0]);
    }

    // ------------------------------------------------------------------ contracts and errors

    @Test void layerContracts() {
        Array x3 = MX.normal(new int[] {2, 3, 4}, MX.key(5));
        Array x4 = MX.normal(new int[] {2, 3, 2, 4}, MX.key(6));
        LayerChecks.assertLayerContract(new LayerNorm(4), () -> new LayerNorm(4), m -> m.forward(x3));
        // RMSNorm has a single parameter: freezing it leaves nothing trainable, which
        // NN.valueAndGrad rejects ("argnum 0 is out of range"), so its frozen check is inline
        RMSNorm rms = new RMSNorm(4);
        LayerChecks.assertGradientsReachEveryParameter(rms, m -> m.forward(x3));
        LayerChecks.assertSaveLoadRoundTrip(rms, () -> new RMSNorm(4), m -> m.forward(x3));
        rms.freeze("weight");
        assertTrue(rms.trainableParameters().isEmpty());
        assertTrue(rms.parameters().containsKey("weight"));
        LayerChecks.assertLayerContract(new GroupNorm(2, 4), () -> new GroupNorm(2, 4), m -> m.forward(x4));
        LayerChecks.assertLayerContract(new GroupNorm(2, 4, 1e-5, true, true), () -> new GroupNorm(2, 4, 1e-5, true, true), m -> m.forward(x4));
        LayerChecks.assertLayerContract(new InstanceNorm(4, 1e-5, true), () -> new InstanceNorm(4, 1e-5, true), m -> m.forward(x4));
        BatchNorm bn = new BatchNorm(4);
        bn.forward(x4);
        MX.eval(bn.parameters());
        LayerChecks.assertLayerContract(bn, () -> new BatchNorm(4), m -> m.forward(x4));
        // the running statistics survived the round trip as state
        assertTrue(bn.isFrozen("running_mean"));
    }

    @Test void badInputsNameTheLayer() {
        assertThrowsWith("[LayerNorm] ", () -> new LayerNorm(4).forward(MX.zeros(2, 3)), "(..., 4)", "(2, 3)");
        assertThrowsWith("[LayerNorm] ", () -> new LayerNorm(4).forward(MX.array(1.0)));
        assertThrowsWith("[LayerNorm] ", () -> new LayerNorm(0), "0");
        assertThrowsWith("[LayerNorm] ", () -> new LayerNorm(2).forward(MX.array(new int[] {1, 2}, 2)), "int32");
        assertThrowsWith("[RMSNorm] ", () -> new RMSNorm(4).forward(MX.zeros(4, 2)), "(4, 2)");
        assertThrowsWith("[GroupNorm] ", () -> new GroupNorm(3, 4), "numGroups=3", "dims=4");
        assertThrowsWith("[GroupNorm] ", () -> new GroupNorm(2, 4).forward(MX.zeros(4)), "(4,)");
        assertThrowsWith("[InstanceNorm] ", () -> new InstanceNorm(4).forward(MX.zeros(2, 4)), "(2, 4)");
        assertThrowsWith("[BatchNorm] ", () -> new BatchNorm(4).forward(MX.zeros(4)), "(4,)");
        assertThrowsWith("[BatchNorm] ", () -> new BatchNorm(4).forward(MX.zeros(1, 2, 2, 2, 4)), "(1, 2, 2, 2, 4)");
        assertThrowsWith("[BatchNorm] ", () -> new BatchNorm(4).forward(MX.zeros(2, 3)), "(2, 3)");
        assertThrowsWith("[BatchNorm] ", () -> new BatchNorm(4, 1e-5, 1.5, true, true), "1.5");
    }

    @Test void describeShowsSettings() {
        assertEquals("BatchNorm(3, eps=1.0E-5, momentum=0.1, affine=true, trackRunningStats=true)", new BatchNorm(3).toString());
        assertTrue(new GroupNorm(2, 4).toString().contains("pytorchCompatible=false"));
    }
}
