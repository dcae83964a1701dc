package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;

/** Apache Commons Math as an independent reference for matmul, inverse-based checks and statistics. */
class CommonsMathReferenceTest {
    static double[][] random(int m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = new double[m][n];
        for (double[] row : a) for (int j = 0; j < n; j++) row[j] = r.nextDouble() * 2 - 1;
        return a;
    }

    static Array toArray(double[][] a) {
        int m = a.length, n = a[0].length;
        double[] flat = new double[m * n];
        for (int i = 0; i < m; i++) System.arraycopy(a[i], 0, flat, i * n, n);
        return array(flat, m, n);
    }

    static void assertMatrix(RealMatrix expect, Array got, double tol) {
        double[] g = got.toDoubleArray();
        int n = expect.getColumnDimension();
        for (int i = 0; i < expect.getRowDimension(); i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expect.getEntry(i, j), g[i * n + j], tol * Math.max(1, Math.abs(expect.getEntry(i, j))), "(" + i + "," + j + ")");
            }
        }
    }

    @Test
    void matmulMatchesCommonsMathInFloat64AndFloat32() {
        int[][] sizes = {{1, 1, 1}, {7, 13, 5}, {64, 33, 70}, {129, 257, 65}, {300, 200, 150}};
        for (int[] s : sizes) {
            double[][] a = random(s[0], s[1], s[0]), b = random(s[1], s[2], s[2]);
            RealMatrix expect = new Array2DRowRealMatrix(a).multiply(new Array2DRowRealMatrix(b));
            assertMatrix(expect, matmul(toArray(a), toArray(b)), 1e-12);
            Array f32 = matmul(astype(toArray(a), org.mlx4j.core.DType.FLOAT32), astype(toArray(b), org.mlx4j.core.DType.FLOAT32));
            assertMatrix(expect, f32, 2e-5 * Math.sqrt(s[1]));
            // transposed operands arrive as strided views
            RealMatrix expectT = new Array2DRowRealMatrix(b).transpose().multiply(new Array2DRowRealMatrix(a).transpose());
            assertMatrix(expectT, matmul(toArray(b).T(), toArray(a).T()), 1e-12);
        }
    }

    @Test
    void matmulWithCommonsMathInverseGivesTheIdentity() {
        double[][] a = random(40, 40, 3);
        for (int i = 0; i < 40; i++) a[i][i] += 8; // well conditioned
        RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver().getInverse();
        Array prod = matmul(toArray(a), toArray(inv.getData()));
        double[] p = prod.toDoubleArray();
        for (int i = 0; i < 40; i++) for (int j = 0; j < 40; j++) assertEquals(i == j ? 1 : 0, p[i * 40 + j], 1e-12);
        // and solving A x = b through the inverse matches Commons Math's solver
        double[][] b = random(40, 3, 9);
        RealMatrix x = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver().solve(new Array2DRowRealMatrix(b));
        assertMatrix(new Array2DRowRealMatrix(b), matmul(toArray(a), toArray(x.getData())), 1e-12);
    }

    @Test
    void erfAndErfinvMatchCommonsMathAcrossTheirRange() {
        int n = 2001;
        double[] xs = new double[n], ps = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -6 + 12.0 * i / (n - 1);
            ps[i] = Math.tanh(-6 + 12.0 * i / (n - 1)); // crowds towards +-1, reaching the tail branch
        }
        for (org.mlx4j.core.DType t : new org.mlx4j.core.DType[] {org.mlx4j.core.DType.FLOAT64, org.mlx4j.core.DType.FLOAT32}) {
            double tol = t == org.mlx4j.core.DType.FLOAT64 ? 1e-14 : 3e-7;
            double[] e = erf(astype(array(xs), t)).toDoubleArray();
            double[] xin = astype(array(xs), t).toDoubleArray();
            for (int i = 0; i < n; i++) assertEquals(org.apache.commons.math3.special.Erf.erf(xin[i]), e[i], tol, t + " erf(" + xin[i] + ")");
            double[] pin = astype(array(ps), t).toDoubleArray();
            double[] v = erfinv(astype(array(ps), t)).toDoubleArray();
            for (int i = 0; i < n; i++) {
                if (Math.abs(pin[i]) >= 1) continue;
                double ref = org.apache.commons.math3.special.Erf.erfInv(pin[i]);
                assertEquals(ref, v[i], (t == org.mlx4j.core.DType.FLOAT64 ? 1e-12 : 2e-6) * Math.max(1, Math.abs(ref)), t + " erfinv(" + pin[i] + ")");
            }
        }
    }

    @Test
    void varAndStdMatchCommonsMath() {
        double[][] a = random(6, 50, 5);
        Array x = toArray(a);
        double[] v0 = var(x, new int[] {1}, false, 0).toDoubleArray();
        double[] v1 = var(x, new int[] {1}, false, 1).toDoubleArray();
        double[] s1 = std(x, new int[] {1}, false, 1).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(new Variance(false).evaluate(a[i]), v0[i], 1e-12);
            assertEquals(new Variance(true).evaluate(a[i]), v1[i], 1e-12);
            assertEquals(new StandardDeviation(true).evaluate(a[i]), s1[i], 1e-12);
        }
        double[] all = new double[300];
        for (int i = 0; i < 6; i++) System.arraycopy(a[i], 0, all, i * 50, 50);
        assertEquals(new Variance(false).evaluate(all), var(x).item(), 1e-12);
        assertEquals(new Variance(false).evaluate(all), var(astype(x, org.mlx4j.core.DType.FLOAT32)).item(), 1e-6);
    }
}
