package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class ReductionFamilyTest {
    private final Random rnd = new Random(7);

    private float[] randomF(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (rnd.nextGaussian());
        return f;
    }

    private static double[] toD(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** Reference reduction in double over {@code axes} (normalized), output row-major over kept axes. */
    static double[] ref(double[] x, int[] shape, int[] axes, double init, DoubleBinaryOperator op) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a < 0 ? a + shape.length : a] = true;
        int[] out = shape.clone();
        for (int a = 0; a < shape.length; a++) if (red[a]) out[a] = 1;
        long n = 1;
        for (int d : out) n *= d;
        double[] r = new double[(int) n];
        java.util.Arrays.fill(r, init);
        for (int i = 0; i < x.length; i++) {
            int[] idx = ReductionGradCheck.unravel(i, shape);
            for (int a = 0; a < shape.length; a++) if (red[a]) idx[a] = 0;
            int o = (int) ReductionGradCheck.ravel(idx, out);
            r[o] = op.applyAsDouble(r[o], x[i]);
        }
        return r;
    }

    private static void close(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) assertTrue(Double.isNaN(actual[i]), "NaN expected at " + i);
            else if (Double.isInfinite(expected[i])) assertEquals(expected[i], actual[i], "at " + i);
            else assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), "at " + i);
        }
    }

    // ------------------------------------------------------------------ sum/prod/max/min kernels

    @Test
    void sumOverLeadingAxisLikeBiasGradient() {
        float[] v = randomF(512 * 1024);
        Array x = array(v, 512, 1024);
        close(ref(toD(v), new int[] {512, 1024}, new int[] {0}, 0, Double::sum), sum(x, 0).toDoubleArray(), 1e-4);
        close(ref(toD(v), new int[] {512, 1024}, new int[] {1}, 0, Double::sum), sum(x, 1).toDoubleArray(), 1e-4);
        close(ref(toD(v), new int[] {512, 1024}, new int[] {0}, Double.NEGATIVE_INFINITY, Math::max), max(x, 0).toDoubleArray(), 0);
        close(ref(toD(v), new int[] {512, 1024}, new int[] {0}, Double.POSITIVE_INFINITY, Math::min), min(x, 0).toDoubleArray(), 0);
        // keepDims and negative axes
        Array k = sum(x, new int[] {-2}, true);
        assertEquals(Shape.of(1, 1024), k.shape());
        close(sum(x, 0).toDoubleArray(), k.toDoubleArray(), 0);
    }

    @Test
    void sumOverManyRowsFewColumnsUsesChunks() {
        float[] v = randomF(5000 * 3);
        Array x = array(v, 5000, 3);
        close(ref(toD(v), new int[] {5000, 3}, new int[] {0}, 0, Double::sum), sum(x, 0).toDoubleArray(), 1e-4);
        double[] d = toD(v);
        Array xd = array(d, 5000, 3);
        close(ref(d, new int[] {5000, 3}, new int[] {0}, 0, Double::sum), sum(xd, 0).toDoubleArray(), 1e-12);
        close(ref(d, new int[] {5000, 3}, new int[] {0}, 1, (a, b) -> a * (1 + b / 1e3)),
                prod(add(scalar(1, DType.FLOAT64), divide(xd, scalar(1e3, DType.FLOAT64))), 0).toDoubleArray(), 1e-10);
    }

    @Test
    void middleAndMixedAxes() {
        int[] s = {6, 7, 8, 9};
        float[] v = randomF(6 * 7 * 8 * 9);
        double[] d = toD(v);
        Array x = array(v, s);
        Array x64 = array(d, s);
        int[][] axesSets = {{1}, {0, 2}, {1, 3}, {0, 1}, {2, 3}, {0, 3}, {0, 1, 2, 3}, {-1, -3}};
        for (int[] axes : axesSets) {
            double[] e = ref(d, s, axes, 0, Double::sum);
            close(e, sum(x, axes).toDoubleArray(), 1e-4);
            close(e, sum(x64, axes).toDoubleArray(), 1e-12);
            close(ref(d, s, axes, Double.NEGATIVE_INFINITY, Math::max), max(x, axes).toDoubleArray(), 0);
            close(ref(d, s, axes, Double.POSITIVE_INFINITY, Math::min), min(x64, axes).toDoubleArray(), 0);
            int[] xi = new int[d.length];
            for (int i = 0; i < xi.length; i++) xi[i] = (int) Math.round(d[i] * 10);
            double[] di = new double[xi.length];
            for (int i = 0; i < xi.length; i++) di[i] = xi[i];
            close(ref(di, s, axes, 0, Double::sum), sum(array(xi, s), axes).toDoubleArray(), 0);
        }
    }

    @Test
    void nonContiguousInputs() {
        float[] v = randomF(40 * 30);
        Array x = array(v, 40, 30);
        Array xt = transpose(x); // (30, 40), strides (1, 30)
        double[] td = new double[v.length];
        for (int i = 0; i < 40; i++) for (int j = 0; j < 30; j++) td[j * 40 + i] = v[i * 30 + j];
        for (int[] axes : new int[][] {{0}, {1}, {0, 1}}) {
            close(ref(td, new int[] {30, 40}, axes, 0, Double::sum), sum(xt, axes).toDoubleArray(), 1e-5);
            close(ref(td, new int[] {30, 40}, axes, Double.NEGATIVE_INFINITY, Math::max), max(xt, axes).toDoubleArray(), 0);
        }
        // a stepped slice: every other row, reversed columns
        Array sl = x.get("::2, ::-1");
        double[] sd = sl.toDoubleArray();
        close(ref(sd, new int[] {20, 30}, new int[] {0}, 0, Double::sum), sum(sl, 0).toDoubleArray(), 1e-5);
        close(ref(sd, new int[] {20, 30}, new int[] {1}, 0, Double::sum), sum(sl, 1).toDoubleArray(), 1e-5);
        // a broadcast view: every row the same
        Array b = broadcastTo(array(new float[] {1, 2, 3}), 1000, 3);
        assertArrayEquals(new float[] {1000, 2000, 3000}, sum(b, 0).toFloatArray());
        assertArrayEquals(new float[] {6}, sum(b, 1).get("0:1").toFloatArray());
    }

    @Test
    void sizeOneAxesAndScalars() {
        Array x = array(new double[] {1, 2, 3}, 3, 1);
        assertArrayEquals(new double[] {1, 2, 3}, sum(x, 1).toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3}, max(transpose(x), new int[] {0}, true).toDoubleArray());
        assertEquals(5.0, sum(array(new float[] {5}, 1, 1)).item());
        assertEquals(5.0, prod(scalar(5, DType.FLOAT32)).item());
        assertEquals(20.0, sum(transpose(array(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3)).get("::2, ::2")).item());
    }

    @Test
    void largeSumsAreAccurate() {
        int n = 1 << 20;
        float[] v = new float[n];
        java.util.Arrays.fill(v, 0.1f);
        assertEquals(n * 0.1, sum(array(v)).item(), n * 0.1 * 1e-5);
        assertEquals(n * 0.1, sum(array(v, 1 << 10, 1 << 10), 0).sum().item(), n * 0.1 * 1e-5);
    }

    @Test
    void emptyReductions() {
        assertEquals(0.0, sum(zeros(0)).item());
        assertArrayEquals(new float[] {0, 0, 0}, sum(zeros(0, 3), 0).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, prod(zeros(0, 3), 0).toFloatArray());
        assertEquals(Shape.of(0), sum(zeros(0, 3), 1).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> max(zeros(0, 3), 0));
        assertTrue(e.getMessage().startsWith("[max] "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sum(zeros(2, 3), 2));
    }

    @Test
    void maxPropagatesNaN() {
        Array x = array(new float[] {1, Float.NaN, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 2, 9);
        double[] m = max(x, 1).toDoubleArray();
        assertTrue(Double.isNaN(m[0]));
        assertEquals(18, m[1]);
        assertTrue(Double.isNaN(max(x, 0).toDoubleArray()[1]));
        assertTrue(Double.isNaN(min(x).item()));
    }

    // ------------------------------------------------------------------ logsumexp and softmax

    @Test
    void logsumexpValues() {
        int[] s = {3, 4, 5};
        float[] v = randomF(60);
        double[] d = toD(v);
        Array x = array(v, s);
        for (int[] axes : new int[][] {{2}, {0}, {1}, {0, 2}, {}}) {
            int[] axesN = axes.length == 0 ? new int[] {0, 1, 2} : axes;
            double[] mx = ref(d, s, axesN, Double.NEGATIVE_INFINITY, Math::max);
            double[] se = new double[mx.length];
            boolean[] red = new boolean[3];
            for (int a : axesN) red[a] = true;
            int[] out = s.clone();
            for (int a = 0; a < 3; a++) if (red[a]) out[a] = 1;
            for (int i = 0; i < d.length; i++) {
                int[] idx = ReductionGradCheck.unravel(i, s);
                for (int a = 0; a < 3; a++) if (red[a]) idx[a] = 0;
                int o = (int) ReductionGradCheck.ravel(idx, out);
                se[o] += Math.exp(d[i] - mx[o]);
            }
            for (int o = 0; o < se.length; o++) se[o] = mx[o] + Math.log(se[o]);
            Array r = logsumexp(x, axes);
            close(se, r.toDoubleArray(), 1e-5);
            Array k = logsumexp(x, axes, true);
            assertArrayEquals(axes.length == 0 ? new int[] {1, 1, 1} : out, k.shape().dims());
            close(se, logsumexp(array(d, s), axes).toDoubleArray(), 1e-12);
        }
        assertEquals(Shape.of(3, 4), logsumexp(x, -1).shape());
    }

    @Test
    void logsumexpEdgeCases() {
        float ninf = Float.NEGATIVE_INFINITY;
        Array x = array(new float[] {ninf, ninf, 1000, 1000, Float.POSITIVE_INFINITY, 0, Float.NaN, 0}, 4, 2);
        double[] r = logsumexp(x, 1).toDoubleArray();
        assertEquals(Double.NEGATIVE_INFINITY, r[0]);
        assertEquals(1000 + Math.log(2), r[1], 1e-3);
        assertEquals(Double.POSITIVE_INFINITY, r[2]);
        assertTrue(Double.isNaN(r[3]));
        assertArrayEquals(new float[] {ninf, ninf}, logsumexp(zeros(2, 0), 1).toFloatArray());
        Array i = logsumexp(array(new int[] {0, 0}));
        assertEquals(DType.FLOAT32, i.dtype());
        assertEquals(Math.log(2), i.item(), 1e-6);
    }

    @Test
    void softmaxValues() {
        int[] s = {5, 7, 33};
        float[] v = randomF(5 * 7 * 33);
        for (int i = 0; i < v.length; i++) v[i] *= 10;
        double[] d = toD(v);
        Array x = array(v, s);
        for (int[] axes : new int[][] {{2}, {0}, {1}, {0, 2}, {}}) {
            int[] axesN = axes.length == 0 ? new int[] {0, 1, 2} : axes;
            double[] mx = ref(d, s, axesN, Double.NEGATIVE_INFINITY, Math::max);
            boolean[] red = new boolean[3];
            for (int a : axesN) red[a] = true;
            int[] out = s.clone();
            for (int a = 0; a < 3; a++) if (red[a]) out[a] = 1;
            double[] se = new double[mx.length];
            int[] owner = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                int[] idx = ReductionGradCheck.unravel(i, s);
                for (int a = 0; a < 3; a++) if (red[a]) idx[a] = 0;
                owner[i] = (int) ReductionGradCheck.ravel(idx, out);
                se[owner[i]] += Math.exp(d[i] - mx[owner[i]]);
            }
            double[] e = new double[d.length];
            for (int i = 0; i < d.length; i++) e[i] = Math.exp(d[i] - mx[owner[i]]) / se[owner[i]];
            Array y = softmax(x, axes);
            assertEquals(x.shape(), y.shape());
            close(e, y.toDoubleArray(), 1e-5);
            close(e, softmax(array(d, s), axes).toDoubleArray(), 1e-12);
            double[] ls = new double[d.length];
            for (int i = 0; i < d.length; i++) ls[i] = Math.log(e[i]);
            close(ls, logSoftmax(array(d, s), axes).toDoubleArray(), 1e-10);
        }
        // the single-axis overload, non-contiguous input, large inputs stay finite
        Array xt = transpose(x, 2, 0, 1);
        close(transpose(softmax(x, 2), 2, 0, 1).toDoubleArray(), softmax(xt, 0).toDoubleArray(), 1e-6);
        double[] big = softmax(array(new float[] {1000, 1001, 1002})).toDoubleArray();
        double z = 1 + Math.exp(-1) + Math.exp(-2);
        close(new double[] {Math.exp(-2) / z, Math.exp(-1) / z, 1 / z}, big, 1e-6);
        assertEquals(DType.FLOAT32, softmax(array(new int[] {1, 2})).dtype());
        assertEquals(Shape.of(0, 3), softmax(zeros(0, 3), -1).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> softmax(x, 3));
        assertTrue(e.getMessage().startsWith("[softmax] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> logsumexp(x, new int[] {1, -2}, false));
        assertTrue(e.getMessage().startsWith("[logsumexp] repeated axis"), e.getMessage());
    }

    @Test
    void softmaxOverLeadingAndMiddleAxesOfLargeArrays() {
        // moved axes give transposed views with 32+ elements per side: the tiled densify path
        int[] s = {3, 40, 50};
        float[] v = randomF(3 * 40 * 50);
        double[] d = toD(v);
        for (Array x : new Array[] {array(v, s), array(d, s)}) {
            for (int axis : new int[] {0, 1, 2}) {
                double[] mx = ref(d, s, new int[] {axis}, Double.NEGATIVE_INFINITY, Math::max);
                int[] out = s.clone();
                out[axis] = 1;
                double[] se = new double[mx.length];
                int[] owner = new int[d.length];
                for (int i = 0; i < d.length; i++) {
                    int[] idx = ReductionGradCheck.unravel(i, s);
                    idx[axis] = 0;
                    owner[i] = (int) ReductionGradCheck.ravel(idx, out);
                    se[owner[i]] += Math.exp(d[i] - mx[owner[i]]);
                }
                double[] e = new double[d.length];
                for (int i = 0; i < d.length; i++) e[i] = Math.exp(d[i] - mx[owner[i]]) / se[owner[i]];
                close(e, softmax(x, axis).toDoubleArray(), 1e-5);
                double[] l = new double[mx.length];
                for (int o = 0; o < l.length; o++) l[o] = mx[o] + Math.log(se[o]);
                close(l, logsumexp(x, axis).toDoubleArray(), 1e-5);
            }
        }
    }

    @Test
    void softmaxWideRowsAndHalfPrecision() {
        float[] v = randomF(3 * 5000);
        Array x = array(v, 3, 5000);
        double[] y = softmax(x, -1).toDoubleArray();
        for (int r = 0; r < 3; r++) {
            double s = 0;
            for (int i = 0; i < 5000; i++) s += y[r * 5000 + i];
            assertEquals(1, s, 1e-4);
        }
        Array h = astype(x, DType.BFLOAT16);
        Array yh = softmax(h, -1);
        assertEquals(DType.BFLOAT16, yh.dtype());
        close(softmax(astype(h, DType.FLOAT32), -1).toDoubleArray(), yh.toDoubleArray(), 1e-2);
    }

    // ------------------------------------------------------------------ clip, nanToNum, isclose

    @Test
    void clipValues() {
        Array x = array(new float[] {-2, -0.5f, 0, 0.5f, 2});
        assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1}, clip(x, -1.0, 1.0).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 1}, clip(x, 0, 1).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 2}, clip(x, 0.0, null).toFloatArray());
        assertArrayEquals(new float[] {-2, -0.5f, 0, 0, 0}, clip(x, null, 0.0).toFloatArray());
        Array lo = array(new float[] {-3, 0, 0, 0, 0}), hi = array(new float[] {3});
        assertArrayEquals(new float[] {-2, 0, 0, 0.5f, 2}, clip(x, lo, hi).toFloatArray());
        Array xi = array(new int[] {-5, 3, 9});
        assertEquals(DType.INT32, clip(xi, 0.0, 5.0).dtype());
        assertArrayEquals(new int[] {0, 3, 5}, clip(xi, 0.0, 5.0).toIntArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clip(x, (Array) null, (Array) null));
        assertTrue(e.getMessage().startsWith("[clip] "), e.getMessage());
    }

    @Test
    void nanToNumValues() {
        Array x = array(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f});
        assertArrayEquals(new float[] {0, Float.MAX_VALUE, -Float.MAX_VALUE, 1.5f}, nanToNum(x).toFloatArray());
        assertArrayEquals(new float[] {7, 8, -9, 1.5f}, nanToNum(x, 7, 8.0, -9.0).toFloatArray());
        Array h = nanToNum(astype(x, DType.FLOAT16));
        assertArrayEquals(new float[] {0, 65504, -65504, 1.5f}, h.toFloatArray());
        assertEquals(Double.MAX_VALUE, nanToNum(array(new double[] {Double.POSITIVE_INFINITY})).item());
        Array i = array(new int[] {1, 2});
        assertSame(i, nanToNum(i));
    }

    @Test
    void iscloseAllcloseArrayEqual() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        Array a = array(new float[] {1, 1, inf, inf, nan, 0, 1e-9f});
        Array b = array(new float[] {1 + 1e-6f, 1.1f, inf, -inf, nan, 1e-9f, 0});
        assertArrayEquals(new boolean[] {true, false, true, false, false, true, true}, isclose(a, b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true, false, true, true, true}, isclose(a, b, 1e-5, 1e-8, true).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false, false, false, false}, isclose(a, b, 0.2, 0, false).toBooleanArray());
        // finite vs infinity is never close, even with a huge tolerance
        assertFalse(isclose(array(new float[] {1}), array(new float[] {inf}), 1e30, 1e30, false).itemBoolean());
        assertTrue(allclose(array(new float[] {1, 2}), array(new double[] {1, 2 + 1e-9})).itemBoolean());
        assertFalse(allclose(array(new float[] {1, 2}), array(new float[] {1, 2.1f})).itemBoolean());
        assertEquals(DType.BOOL, allclose(a, a).dtype());
        assertEquals(0, allclose(a, a).ndim());
        assertTrue(allclose(a, a, 1e-5, 1e-8, true).itemBoolean());
        assertTrue(isclose(array(new int[] {3}), array(new float[] {3})).itemBoolean());

        assertTrue(arrayEqual(array(new int[] {1, 2}), array(new float[] {1, 2})).itemBoolean());
        assertFalse(arrayEqual(array(new int[] {1, 2}), array(new int[] {1, 3})).itemBoolean());
        assertFalse(arrayEqual(array(new int[] {1, 2}), array(new int[] {1, 2, 3})).itemBoolean());
        assertFalse(arrayEqual(a, a).itemBoolean());
        assertTrue(arrayEqual(a, a, true).itemBoolean());
        assertTrue(arrayEqual(zeros(0), zeros(0)).itemBoolean());
        assertThrows(IllegalArgumentException.class, () -> isclose(zeros(2), zeros(3)));
    }

    // ------------------------------------------------------------------ gradients (float64)

    private double[] rand(int n) { return ReductionGradCheck.random(rnd, n, -2, 2); }

    @Test
    void gradLogsumexpSoftmax() {
        double[] x = rand(12);
        ReductionGradCheck.check(v -> logsumexp(v, -1), x, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> logsumexp(v, new int[] {0}, true), x, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> logsumexp(v), x, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> softmax(v, -1), x, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> softmax(v, 0), x, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> softmax(v, 0, 2), rand(24), new int[] {2, 3, 4}, 1e-6);
        ReductionGradCheck.check(v -> logSoftmax(v, -1), x, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> logSoftmax(v, 0), x, new int[] {3, 4}, 1e-6);
        // second order: the gradient of softmax is itself differentiable
        ReductionGradCheck.check(v -> grad(u -> sum(square(softmax(u, -1)))).apply(v), x, new int[] {3, 4}, 1e-5);
    }

    @Test
    void gradClipVarStdProdMax() {
        double[] x = {-1.7, -0.4, 0.3, 0.9, 1.4, 2.2};
        ReductionGradCheck.check(v -> clip(v, -1.0, 1.0), x, new int[] {2, 3}, 1e-6);
        ReductionGradCheck.check(v -> clip(v, null, 0.5), x, new int[] {2, 3}, 1e-6);
        double[] r = rand(12);
        ReductionGradCheck.check(v -> var(v, 0), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> var(v, new int[] {1}, true, 1), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> std(v, 1), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> std(v), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> prod(v, 0), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> prod(v), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> max(v, 1), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> min(v, new int[] {0}, true), r, new int[] {3, 4}, 1e-6);
        ReductionGradCheck.check(v -> sum(v, 0), r, new int[] {3, 4}, 1e-6);
    }
}
