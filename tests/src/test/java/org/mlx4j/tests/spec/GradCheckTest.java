package org.mlx4j.tests.spec;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;

/**
 * Gradient checks in float64 for every differentiable row and non-empty shape case: jvp against
 * central differences, vjp by the dot-product identity {@code <J t, c> = <t, J^T c>}, and for
 * second-order rows the jvp of the vjp against central differences of the vjp.
 */
class GradCheckTest {
    static final double EPS = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (OpSpec row : OpSpecTable.rows()) {
            if (row.gradOrder() == 0) continue;
            for (Cases.Case c : Cases.of(row.shapes())) {
                // a broadcast input repeats values, so max/min meet ties where they are not differentiable
                boolean ties = c.name().startsWith("broadcast") && (row.name().startsWith("max") || row.name().startsWith("min"));
                if (!c.empty() && !ties) out.add(Arguments.of(row, c));
            }
        }
        return out.stream();
    }

    static Array[] inputs(OpSpec row, Cases.Case c) {
        return c.inputs().apply(new Cases.Maker(row.withDtypes(List.of(DType.FLOAT64)), DType.FLOAT64, row.name().hashCode() ^ 0x5eed));
    }

    static Array randomLike(Array a, SplittableRandom r) {
        double[] v = new double[(int) a.size()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() * 2 - 1;
        return reshape(array(v, new int[] {v.length}), a.shape().dims());
    }

    static double dot(Array a, Array b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    static Function<List<Array>, List<Array>> fn(OpSpec row) {
        return xs -> List.of(row.op().apply(xs.toArray(new Array[0])));
    }

    /** Central difference of {@code f} at {@code xs} along {@code ts}, output k. */
    static double[] centralDifference(Function<List<Array>, List<Array>> f, List<Array> xs, List<Array> ts, int k) {
        List<Array> plus = new ArrayList<>(), minus = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            plus.add(add(xs.get(i), multiply(ts.get(i), sc(EPS, DType.FLOAT64))));
            minus.add(subtract(xs.get(i), multiply(ts.get(i), sc(EPS, DType.FLOAT64))));
        }
        double[] p = f.apply(plus).get(k).toDoubleArray(), m = f.apply(minus).get(k).toDoubleArray();
        double[] d = new double[p.length];
        for (int i = 0; i < d.length; i++) d[i] = (p[i] - m[i]) / (2 * EPS);
        return d;
    }

    static Array sc(double v, DType t) { return scalar(v, t); }

    static void assertClose(double[] expect, double[] got, double tol, String what) {
        assertEquals(expect.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(expect[i] - got[i]);
            assertTrue(err <= tol * Math.max(1, Math.abs(expect[i])),
                    what + ": element " + i + " expected " + expect[i] + " got " + got[i] + "\n" + Arrays.toString(got));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void jvpMatchesCentralDifferencesAndVjpIsItsTranspose(OpSpec row, Cases.Case c) {
        Array[] in = inputs(row, c);
        List<Array> xs = List.of(in);
        SplittableRandom r = new SplittableRandom(7);
        List<Array> ts = new ArrayList<>();
        for (Array x : in) ts.add(randomLike(x, r));
        var f = fn(row);
        var jv = jvp(f, xs, ts);
        Array jt = jv.tangents().get(0);
        assertClose(centralDifference(f, xs, ts, 0), jt.toDoubleArray(), 1e-6, row.name() + " jvp vs central difference");
        Array cot = randomLike(jv.outputs().get(0), r);
        var vj = vjp(f, xs, List.of(cot));
        double lhs = dot(jt, cot), rhs = 0;
        for (int i = 0; i < in.length; i++) rhs += dot(ts.get(i), vj.cotangents().get(i));
        assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)), row.name() + " <J t, c> = <t, J^T c>");
    }

    static Stream<Arguments> secondOrder() {
        return cases().filter(a -> ((OpSpec) a.get()[0]).gradOrder() >= 2);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("secondOrder")
    void secondOrderMatchesCentralDifferencesOfTheVjp(OpSpec row, Cases.Case c) {
        Array[] in = inputs(row, c);
        List<Array> xs = List.of(in);
        SplittableRandom r = new SplittableRandom(11);
        var f = fn(row);
        Array cot = randomLike(f.apply(xs).get(0), r);
        Function<List<Array>, List<Array>> g = ps -> vjp(f, ps, List.of(cot)).cotangents();
        List<Array> ts = new ArrayList<>();
        for (Array x : in) ts.add(randomLike(x, r));
        var hv = jvp(g, xs, ts);
        for (int k = 0; k < in.length; k++) {
            assertClose(centralDifference(g, xs, ts, k), hv.tangents().get(k).toDoubleArray(), 1e-5, row.name() + " second order, input " + k);
        }
    }
}
