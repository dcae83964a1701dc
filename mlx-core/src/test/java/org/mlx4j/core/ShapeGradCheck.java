package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Gradient checks in float64 for the shape and indexing tests: vjp and jvp against central differences. */
final class ShapeGradCheck {
    private ShapeGradCheck() {}

    private static final double EPS = 1e-6;
    private static final double TOL = 1e-6;

    static Array of(double[] v, int... dims) { return MX.array(v, dims.length == 0 ? new int[] {v.length} : dims).reshape(dims); }

    static double[] random(Random r, long n) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() * 2 - 1;
        return v;
    }

    static Array randomArray(long seed, int... dims) {
        return of(random(new Random(seed), Shape.of(dims).size()), dims);
    }

    /**
     * Checks f's vjp (one cotangent, every input element perturbed) and jvp (one random direction)
     * at x against central differences of f.
     */
    static void check(String what, Function<Array, Array> f, Array x) {
        Random r = new Random(7);
        int[] dims = x.shape().dims();
        double[] xv = x.toDoubleArray();
        Array y = f.apply(x);
        double[] c = random(r, y.size());
        Array ct = of(c, y.shape().dims());
        Array g = MX.vjp(ps -> List.of(f.apply(ps.get(0))), List.of(x), List.of(ct)).cotangents().get(0);
        assertEquals(x.shape(), g.shape(), what + ": vjp shape");
        double[] gv = g.toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            double[] p = xv.clone(), m = xv.clone();
            p[i] += EPS;
            m[i] -= EPS;
            double num = (dot(f.apply(of(p, dims)).toDoubleArray(), c) - dot(f.apply(of(m, dims)).toDoubleArray(), c)) / (2 * EPS);
            assertEquals(num, gv[i], TOL, what + ": vjp element " + i);
        }
        double[] t = random(r, xv.length);
        Array jt = MX.jvp(ps -> List.of(f.apply(ps.get(0))), List.of(x), List.of(of(t, dims))).tangents().get(0);
        assertEquals(y.shape(), jt.shape(), what + ": jvp shape");
        double[] p = xv.clone(), m = xv.clone();
        for (int i = 0; i < xv.length; i++) {
            p[i] += EPS * t[i];
            m[i] -= EPS * t[i];
        }
        double[] fp = f.apply(of(p, dims)).toDoubleArray(), fm = f.apply(of(m, dims)).toDoubleArray(), jv = jt.toDoubleArray();
        for (int i = 0; i < jv.length; i++) assertEquals((fp[i] - fm[i]) / (2 * EPS), jv[i], TOL, what + ": jvp element " + i);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
