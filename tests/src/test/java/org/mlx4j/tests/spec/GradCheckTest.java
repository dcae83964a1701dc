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
        // an output that does not move has derivative 0, also where it is infinite (inf - inf would be NaN)
        for (int i = 0; i < d.length; i++) d[i] = p[i] == m[i] ? 0 : (p[i] - m[i]) / (2 * EPS);
        return d;
    }

    static Array sc(double v, DType t) { return scalar(v, t); }

    static void assertClose(double[] expect, double[] got, double tol, String what) {
        assertEquals(expect.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(expect[i] - got[i]);
            // the message is built only on failure: large cases would make it quadratic
            if (!(err <= tol * Math.max(1, Math.abs(expect[i])))) {
                fail(what + ": element " + i + " expected " + expect[i] + " got " + got[i]
                        + (got.length <= 64 ? "\n" + Arrays.toString(got) : ""));
            }
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

    /** Every single-array shape case (scalar, size 0, views), for the exact gradient checks below. */
    static Stream<Arguments> anyShape() {
        return Cases.of(OpSpec.ShapeFamily.SHAPE_ANY).stream().map(Arguments::of);
    }

    static Array[] anyInputs(Cases.Case c) {
        OpSpec row = OpSpecTable.rows().stream().filter(o -> o.name().equals("stopGradient")).findFirst().orElseThrow();
        return inputs(row, c);
    }

    static void assertAllZero(Array a, String what) {
        double[] v = a.toDoubleArray();
        for (int i = 0; i < v.length; i++) assertEquals(0.0, v[i], 0.0, what + ": element " + i);
    }

    /**
     * stopGradient has value x and derivative exactly zero, at first and second order: its jvp and vjp
     * are zero, d/dx sum(x * stopGradient(x)) is exactly x, and the derivative of that is zero again.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("anyShape")
    void stopGradientHasAnExactlyZeroGradient(Cases.Case c) {
        Array x = anyInputs(c)[0];
        SplittableRandom r = new SplittableRandom(13);
        Function<List<Array>, List<Array>> sg = xs -> List.of(stopGradient(xs.get(0)));
        var jv = jvp(sg, List.of(x), List.of(randomLike(x, r)));
        assertArrayEquals(x.toDoubleArray(), jv.outputs().get(0).toDoubleArray(), 0.0, "stopGradient value");
        assertEquals(x.shape(), jv.tangents().get(0).shape());
        assertAllZero(jv.tangents().get(0), "stopGradient jvp");
        var vj = vjp(sg, List.of(x), List.of(randomLike(x, r)));
        assertEquals(x.shape(), vj.cotangents().get(0).shape());
        assertAllZero(vj.cotangents().get(0), "stopGradient vjp");

        Function<List<Array>, List<Array>> prod = xs -> List.of(multiply(xs.get(0), stopGradient(xs.get(0))));
        Array ones = onesLike(x);
        Array g = vjp(prod, List.of(x), List.of(ones)).cotangents().get(0);
        assertArrayEquals(x.toDoubleArray(), g.toDoubleArray(), 0.0, "d/dx x * stopGradient(x)");
        Function<List<Array>, List<Array>> dg = xs -> vjp(prod, xs, List.of(ones)).cotangents();
        assertAllZero(jvp(dg, List.of(x), List.of(randomLike(x, r))).tangents().get(0), "second derivative through stopGradient");
    }

    /**
     * A narrowing astype (float64 to float32) is checked exactly rather than by central differences
     * (which float32 rounding would swamp): its jvp is the tangent converted to float32, and its vjp the
     * float32 cotangent converted back to float64.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("anyShape")
    void narrowingAstypeConvertsTangentsAndCotangents(Cases.Case c) {
        Array x = anyInputs(c)[0];
        SplittableRandom r = new SplittableRandom(17);
        Function<List<Array>, List<Array>> f = xs -> List.of(astype(xs.get(0), DType.FLOAT32));
        Array t = randomLike(x, r);
        Array jt = jvp(f, List.of(x), List.of(t)).tangents().get(0);
        assertEquals(DType.FLOAT32, jt.dtype());
        double[] tv = t.toDoubleArray(), expect = new double[tv.length];
        for (int i = 0; i < tv.length; i++) expect[i] = (float) tv[i];
        assertArrayEquals(expect, jt.toDoubleArray(), 0.0, "astype jvp");
        Array cot = astype(randomLike(x, r), DType.FLOAT32);
        Array g = vjp(f, List.of(x), List.of(cot)).cotangents().get(0);
        assertEquals(DType.FLOAT64, g.dtype());
        assertEquals(x.shape(), g.shape());
        assertArrayEquals(cot.toDoubleArray(), g.toDoubleArray(), 0.0, "astype vjp");
    }
}
