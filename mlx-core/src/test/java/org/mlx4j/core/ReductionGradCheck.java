package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mlx4j.core.MX.*;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Float64 gradient checks for tests: vjp and jvp against central differences. */
final class ReductionGradCheck {
    private ReductionGradCheck() {}

    static double[] random(Random r, int n, double lo, double hi) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * r.nextDouble();
        return d;
    }

    /**
     * Checks {@code f} at {@code x0} (float64 values of {@code shape}): the vjp with a random
     * cotangent and the jvp with a random tangent, each against central differences.
     */
    static void check(Function<Array, Array> f, double[] x0, int[] shape, double tol) {
        Random r = new Random(42);
        Array x = array(x0, DType.FLOAT64, shape);
        Array y = f.apply(x);
        double[] c = random(r, (int) y.size(), -1, 1);
        double[] t = random(r, x0.length, -1, 1);
        Array ct = array(c, DType.FLOAT64, y.shape().dims());
        var vr = vjp(a -> List.of(f.apply(a.get(0))), List.of(x), List.of(ct));
        double[] g = vr.cotangents().get(0).toDoubleArray();
        var jr = jvp(a -> List.of(f.apply(a.get(0))), List.of(x), List.of(array(t, DType.FLOAT64, shape)));
        double[] jt = jr.tangents().get(0).toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < x0.length; i++) {
            double[] p = x0.clone(), m = x0.clone();
            p[i] += h;
            m[i] -= h;
            double[] fp = f.apply(array(p, DType.FLOAT64, shape)).toDoubleArray(), fm = f.apply(array(m, DType.FLOAT64, shape)).toDoubleArray();
            double num = 0;
            for (int k = 0; k < fp.length; k++) num += c[k] * diff(fp[k], fm[k]) / (2 * h);
            assertEquals(num, g[i], tol * (1 + Math.abs(num)), "vjp entry " + i);
        }
        double[] p = x0.clone(), m = x0.clone();
        for (int i = 0; i < x0.length; i++) {
            p[i] += h * t[i];
            m[i] -= h * t[i];
        }
        double[] fp = f.apply(array(p, DType.FLOAT64, shape)).toDoubleArray(), fm = f.apply(array(m, DType.FLOAT64, shape)).toDoubleArray();
        assertEquals(fp.length, jt.length);
        for (int k = 0; k < fp.length; k++) {
            double num = diff(fp[k], fm[k]) / (2 * h);
            assertEquals(num, jt[k], tol * (1 + Math.abs(num)), "jvp entry " + k);
        }
    }

    /** fp - fm, zero where both are the same infinity (an output that does not move). */
    private static double diff(double fp, double fm) { return fp == fm ? 0 : fp - fm; }

    /** Row-major index helpers for reference loops. */
    static int[] unravel(long flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = (int) (flat % shape[a]);
            flat /= shape[a];
        }
        return idx;
    }

    static long ravel(int[] idx, int[] shape) {
        long f = 0;
        for (int a = 0; a < shape.length; a++) f = f * shape[a] + idx[a];
        return f;
    }
}
