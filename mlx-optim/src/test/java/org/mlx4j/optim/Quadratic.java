package org.mlx4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * A small separable quadratic loss, {@code sum(0.5 * a * x^2 + c * x)} over a parameter tree of
 * float64 arrays, whose gradient {@code a * x + c} the tests compute both with array ops and with
 * plain doubles (the same two roundings, so both sides see identical gradients).
 */
final class Quadratic {
    /** One parameter: its path, shape, start values and loss coefficients (flattened, row-major). */
    record Param(String key, int[] shape, double[] x0, double[] a, double[] c) {
        int size() { return x0.length; }
    }

    final List<Param> params;

    Quadratic(List<Param> params) { this.params = params; }

    /** The default tree: "w" of shape (2, 3) and "b" of shape (3). */
    static Quadratic standard() { return of(new String[] {"w", "b"}, new int[][] {{2, 3}, {3}}); }

    /** A tree with the given keys and shapes and deterministic, varied values. */
    static Quadratic of(String[] keys, int[][] shapes) {
        List<Param> ps = new java.util.ArrayList<>();
        int seed = 1;
        for (int p = 0; p < keys.length; p++) {
            int n = 1;
            for (int d : shapes[p]) n *= d;
            double[] x0 = new double[n];
            double[] a = new double[n];
            double[] c = new double[n];
            for (int i = 0; i < n; i++, seed++) {
                x0[i] = Math.sin(1.7 * seed) * 1.3;          // in [-1.3, 1.3], no zeros
                a[i] = 0.5 + 1.5 * Math.abs(Math.cos(0.9 * seed)); // in [0.5, 2]
                c[i] = 0.4 * Math.sin(2.3 * seed + 0.5);      // in [-0.4, 0.4]
            }
            ps.add(new Param(keys[p], shapes[p], x0, a, c));
        }
        return new Quadratic(ps);
    }

    /** The starting parameter tree (float64). */
    Map<String, Array> initial() {
        Map<String, Array> out = new LinkedHashMap<>();
        for (Param p : params) out.put(p.key(), MX.array(p.x0(), DType.FLOAT64, p.shape()));
        return out;
    }

    /** The gradient tree at {@code tree}, lazily: {@code a * x + c}. */
    Map<String, Array> gradients(Map<String, Array> tree) {
        Map<String, Array> out = new LinkedHashMap<>();
        for (Param p : params) {
            Array a = MX.array(p.a(), DType.FLOAT64, p.shape());
            Array c = MX.array(p.c(), DType.FLOAT64, p.shape());
            out.put(p.key(), a.multiply(tree.get(p.key())).add(c));
        }
        return out;
    }

    /** The gradient at the double values {@code x} of parameter {@code p}. */
    static double[] gradient(Param p, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) g[i] = p.a()[i] * x[i] + p.c()[i];
        return g;
    }
}
