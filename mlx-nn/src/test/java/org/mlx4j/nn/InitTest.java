package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

class InitTest {
    static void assertInitError(Executable e, String... parts) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith("[init] "), ex.getMessage());
        for (String p : parts) assertTrue(ex.getMessage().contains(p), ex.getMessage() + " should contain " + p);
    }

    /** Mean and (population) standard deviation of the values. */
    static double[] stats(double[] v) {
        double m = 0;
        for (double x : v) m += x;
        m /= v.length;
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return new double[] {m, Math.sqrt(s / v.length)};
    }

    /** Mean within 5 standard errors of {@code mean}, std within 2% of {@code std}. */
    static void assertMoments(double[] v, double mean, double std, String what) {
        double[] s = stats(v);
        assertEquals(mean, s[0], 5 * std / Math.sqrt(v.length), what + " mean");
        assertEquals(std, s[1], 0.02 * std, what + " std");
    }

    @Test void fansFollowMlx() {
        assertEquals(new Init.Fans(8, 16), Init.fans(16, 8));
        // conv weight (C_out, kH, kW, C_in)
        assertEquals(new Init.Fans(16 * 9, 32 * 9), Init.fans(32, 3, 3, 16));
        assertEquals(new Init.Fans(2 * 7, 5 * 7), Init.fans(Shape.of(5, 7, 2)));
        assertInitError(() -> Init.fans(5), "(5,)");
        assertInitError(() -> Init.glorotUniform().apply(MX.zeros(7)), "(7,)");
        assertInitError(() -> Init.heNormal().apply(MX.zeros(new int[0], DType.FLOAT32)), "2 dimensions");
    }

    @Test void constantAndDtypes() {
        Array c = Init.constant(0.5).apply(MX.zeros(new int[] {2, 3}, DType.FLOAT64));
        assertEquals(DType.FLOAT64, c.dtype());
        assertEquals(Shape.of(2, 3), c.shape());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, c.toDoubleArray(), 0.0);
        Array c2 = Init.constant(-2, DType.FLOAT16).apply(new int[] {4}, DType.FLOAT32);
        assertEquals(DType.FLOAT16, c2.dtype());
        assertArrayEquals(new double[] {-2, -2, -2, -2}, c2.toDoubleArray(), 0.0);
        // random initializers produce float32 for an integer template, and keep a floating one's dtype
        assertEquals(DType.FLOAT32, Init.normal().apply(MX.zeros(new int[] {3, 3}, DType.INT32)).dtype());
        assertEquals(DType.FLOAT64, Init.glorotNormal().apply(MX.zeros(new int[] {3, 3}, DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT16, Init.heUniform(Init.FanMode.FAN_IN, 1, DType.FLOAT16).apply(MX.zeros(3, 3)).dtype());
        assertInitError(() -> Init.normal(0, 1, DType.INT32), "floating");
    }

    @Test void normalAndUniformMoments() {
        int[] shape = {200, 500};
        double[] n = Init.normal(2, 3).apply(shape, DType.FLOAT64).toDoubleArray();
        assertMoments(n, 2, 3, "normal(2, 3)");
        assertMoments(Init.normal().apply(shape, DType.FLOAT32).toDoubleArray(), 0, 1, "normal()");

        double[] u = Init.uniform(-1, 3).apply(shape, DType.FLOAT64).toDoubleArray();
        for (double x : u) assertTrue(x >= -1 && x < 3, "uniform value " + x);
        assertMoments(u, 1, 4 / Math.sqrt(12), "uniform(-1, 3)");
        double[] u01 = Init.uniform().apply(shape, DType.FLOAT32).toDoubleArray();
        for (double x : u01) assertTrue(x >= 0 && x < 1, "uniform() value " + x);
        assertMoments(u01, 0.5, 1 / Math.sqrt(12), "uniform()");

        assertInitError(() -> Init.uniform(1, 1), "low < high");
        assertInitError(() -> Init.normal(0, -1), "std");
    }

    @Test void seedMakesDrawsReproducible() {
        MX.seed(42);
        double[] a = Init.glorotUniform().apply(new int[] {8, 8}, DType.FLOAT32).toDoubleArray();
        MX.seed(42);
        double[] b = Init.glorotUniform().apply(new int[] {8, 8}, DType.FLOAT32).toDoubleArray();
        assertArrayEquals(a, b, 0.0);
    }

    @Test void identityNeedsASquareMatrix() {
        double[] eye = Init.identity().apply(MX.zeros(new int[] {3, 3}, DType.FLOAT64)).toDoubleArray();
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, eye, 0.0);
        assertEquals(DType.BFLOAT16, Init.identity(DType.BFLOAT16).apply(MX.zeros(2, 2)).dtype());
        assertInitError(() -> Init.identity().apply(MX.zeros(2, 3)), "(2, 3)");
        assertInitError(() -> Init.identity().apply(MX.zeros(2, 2, 2)), "(2, 2, 2)");
    }

    @Test void glorotScalesByBothFans() {
        for (int[] shape : new int[][] {{300, 400}, {64, 3, 3, 32}}) {
            Init.Fans f = Init.fans(shape);
            double std = Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
            assertMoments(Init.glorotNormal().apply(shape, DType.FLOAT64).toDoubleArray(), 0, std, "glorotNormal " + Shape.of(shape));
            assertMoments(Init.glorotNormal(2.5).apply(shape, DType.FLOAT64).toDoubleArray(), 0, 2.5 * std, "glorotNormal gain 2.5");
            double limit = Math.sqrt(6.0 / (f.fanIn() + f.fanOut()));
            for (double gain : new double[] {1, 0.5}) {
                double[] u = Init.glorotUniform(gain).apply(shape, DType.FLOAT64).toDoubleArray();
                for (double x : u) assertTrue(Math.abs(x) <= gain * limit, "glorotUniform value " + x);
                assertMoments(u, 0, gain * limit / Math.sqrt(3), "glorotUniform gain " + gain);
            }
        }
        assertEquals(Shape.of(4, 5), Init.glorotUniform().apply(new int[] {4, 5}, DType.FLOAT32).shape());
        assertInitError(() -> Init.glorotNormal(0), "gain");
    }

    @Test void heScalesByTheChosenFan() {
        int[] shape = {64, 3, 3, 32};
        Init.Fans f = Init.fans(shape);
        for (Init.FanMode mode : Init.FanMode.values()) {
            long fan = mode == Init.FanMode.FAN_IN ? f.fanIn() : f.fanOut();
            for (double gain : new double[] {1, Math.sqrt(2)}) {
                assertMoments(Init.heNormal(mode, gain).apply(shape, DType.FLOAT64).toDoubleArray(), 0, gain / Math.sqrt(fan),
                        "heNormal " + mode + " gain " + gain);
                double limit = gain * Math.sqrt(3.0 / fan);
                double[] u = Init.heUniform(mode, gain).apply(shape, DType.FLOAT64).toDoubleArray();
                for (double x : u) assertTrue(Math.abs(x) <= limit, "heUniform value " + x);
                assertMoments(u, 0, limit / Math.sqrt(3), "heUniform " + mode + " gain " + gain);
            }
        }
        // the defaults are fan-in with gain 1
        assertMoments(Init.heNormal().apply(shape, DType.FLOAT64).toDoubleArray(), 0, 1 / Math.sqrt(f.fanIn()), "heNormal()");
        double[] u = Init.heUniform().apply(new int[] {500, 300}, DType.FLOAT64).toDoubleArray();
        for (double x : u) assertTrue(Math.abs(x) <= Math.sqrt(3.0 / 300), "heUniform() value " + x);
        assertInitError(() -> Init.heNormal(null, 1), "mode");
    }

    /** max |(M M^T or M^T M) - gain^2 I| over the smaller Gram matrix. */
    static double gramError(double[] m, int rows, int cols, double gain) {
        boolean byRows = rows <= cols;
        int k = byRows ? rows : cols;
        double worst = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                if (byRows) {
                    for (int t = 0; t < cols; t++) s += m[i * cols + t] * m[j * cols + t];
                } else {
                    for (int t = 0; t < rows; t++) s += m[t * cols + i] * m[t * cols + j];
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? gain * gain : 0)));
            }
        }
        return worst;
    }

    @Test void orthogonalIsOrthogonal() {
        for (int[] shape : new int[][] {{50, 50}, {30, 80}, {80, 30}, {1, 5}}) {
            for (double gain : new double[] {1, 2}) {
                Array q = Init.orthogonal(gain).apply(shape, DType.FLOAT64);
                assertEquals(Shape.of(shape), q.shape());
                assertEquals(DType.FLOAT64, q.dtype());
                assertTrue(gramError(q.toDoubleArray(), shape[0], shape[1], gain) < 1e-12, "orthogonal " + Shape.of(shape) + " gain " + gain);
            }
        }
        Array q32 = Init.orthogonal().apply(MX.zeros(40, 20));
        assertEquals(DType.FLOAT32, q32.dtype());
        assertTrue(gramError(q32.toDoubleArray(), 40, 20, 1) < 1e-5);
        assertInitError(() -> Init.orthogonal().apply(MX.zeros(2, 3, 4)), "(2, 3, 4)");
    }

    @Test void orthogonalFactorIsTheQOfAqrWithPositiveDiagonal() {
        int n = 7;
        double[] a = MX.normal(new int[] {n, n}, DType.FLOAT64, MX.key(5)).toDoubleArray();
        double[] q = Init.orthogonalFactor(a, n);
        // R = Q^T A must be upper triangular with a positive diagonal
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int t = 0; t < n; t++) r += q[t * n + i] * a[t * n + j];
                if (i > j) assertEquals(0, r, 1e-12, "R[" + i + "][" + j + "]");
                if (i == j) assertTrue(r > 0, "R[" + i + "][" + i + "] = " + r);
            }
        }
        assertTrue(gramError(q, n, n, 1) < 1e-13);
    }

    @Test void sparseZeroesTheSameFractionOfEveryRow() {
        int rows = 40, cols = 50;
        for (double sparsity : new double[] {0.3, 0.1, 0.75}) {
            int expected = (int) Math.ceil(sparsity * cols);
            double[] v = Init.sparse(sparsity).apply(new int[] {rows, cols}, DType.FLOAT64).toDoubleArray();
            int[] perColumn = new int[cols];
            for (int r = 0; r < rows; r++) {
                int zeros = 0;
                for (int c = 0; c < cols; c++) {
                    if (v[r * cols + c] == 0) {
                        zeros++;
                        perColumn[c]++;
                    }
                }
                assertEquals(expected, zeros, "zeros in row " + r + " at sparsity " + sparsity);
            }
            // positions are random: the zeros spread over the columns rather than piling up in the first ones
            int hit = 0;
            for (int c = 0; c < cols; c++) if (perColumn[c] > 0) hit++;
            assertTrue(hit > cols / 2, "zeros fall in only " + hit + " columns");
        }
        // the nonzeros are normal with the given moments
        double[] big = Init.sparse(0.5, 1, 0.01).apply(new int[] {400, 500}, DType.FLOAT64).toDoubleArray();
        double[] nz = java.util.Arrays.stream(big).filter(x -> x != 0).toArray();
        assertEquals(400 * 250, nz.length);
        assertMoments(nz, 1, 0.01, "sparse nonzeros");
        assertEquals(0, java.util.Arrays.stream(Init.sparse(0).apply(new int[] {5, 6}, DType.FLOAT32).toDoubleArray()).filter(x -> x == 0).count());
        assertArrayEquals(new double[12], Init.sparse(1).apply(new int[] {3, 4}, DType.FLOAT32).toDoubleArray(), 0.0);
        assertInitError(() -> Init.sparse(1.5), "sparsity");
        assertInitError(() -> Init.sparse(0.5).apply(MX.zeros(2, 3, 4)), "(2, 3, 4)");
    }
}
