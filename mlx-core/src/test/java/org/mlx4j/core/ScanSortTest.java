package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class ScanSortTest {
    private final Random rnd = new Random(11);

    private double[] rand(int n) { return ReductionGradCheck.random(rnd, n, -2, 2); }

    private static float[] toF(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** Reference scan in double along {@code axis} (row-major data of {@code shape}). */
    static double[] refScan(double[] x, int[] shape, int axis, boolean reverse, boolean inclusive, double init, DoubleBinaryOperator op) {
        int n = shape[axis];
        double[] out = new double[x.length];
        long inner = 1;
        for (int a = axis + 1; a < shape.length; a++) inner *= shape[a];
        long outer = n == 0 ? 0 : x.length / (n * inner);
        for (long o = 0; o < outer; o++) {
            for (long k = 0; k < inner; k++) {
                double acc = init;
                for (int s = 0; s < n; s++) {
                    int i = reverse ? n - 1 - s : s;
                    int p = (int) ((o * n + i) * inner + k);
                    if (!inclusive) out[p] = acc;
                    acc = op.applyAsDouble(acc, x[p]);
                    if (inclusive) out[p] = acc;
                }
            }
        }
        return out;
    }

    private static double lae(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    private static void close(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) assertTrue(Double.isNaN(actual[i]), "NaN expected at " + i);
            else if (Double.isInfinite(expected[i])) assertEquals(expected[i], actual[i], "at " + i);
            else assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), "at " + i);
        }
    }

    // ------------------------------------------------------------------ scans

    @Test
    void scansMatchReferenceOnEveryAxisAndFlag() {
        int[] shape = {3, 4, 5};
        double[] d = rand(60);
        Array x32 = array(toF(d), shape), x64 = array(d, shape);
        double[] df = x32.toDoubleArray();
        for (int axis = 0; axis < 3; axis++) {
            for (boolean rev : new boolean[] {false, true}) {
                for (boolean incl : new boolean[] {true, false}) {
                    String what = "axis " + axis + " reverse " + rev + " inclusive " + incl;
                    close(refScan(df, shape, axis, rev, incl, 0, Double::sum), cumsum(x32, axis, rev, incl).toDoubleArray(), 1e-5);
                    close(refScan(d, shape, axis, rev, incl, 0, Double::sum), cumsum(x64, axis, rev, incl).toDoubleArray(), 1e-12);
                    close(refScan(d, shape, axis, rev, incl, 1, (a, b) -> a * b), cumprod(x64, axis, rev, incl).toDoubleArray(), 1e-12);
                    close(refScan(df, shape, axis, rev, incl, 1, (a, b) -> a * b), cumprod(x32, axis, rev, incl).toDoubleArray(), 1e-5);
                    close(refScan(df, shape, axis, rev, incl, Double.NEGATIVE_INFINITY, Math::max),
                            cummax(x32, axis, rev, incl).toDoubleArray(), 0);
                    close(refScan(d, shape, axis, rev, incl, Double.POSITIVE_INFINITY, Math::min),
                            cummin(x64, axis, rev, incl).toDoubleArray(), 0);
                    close(refScan(d, shape, axis, rev, incl, Double.NEGATIVE_INFINITY, ScanSortTest::lae),
                            logcumsumexp(x64, axis, rev, incl).toDoubleArray(), 1e-12);
                    close(refScan(df, shape, axis, rev, incl, Double.NEGATIVE_INFINITY, ScanSortTest::lae),
                            logcumsumexp(x32, axis, rev, incl).toDoubleArray(), 1e-5);
                    assertEquals(x32.shape(), cumsum(x32, axis, rev, incl).shape(), what);
                }
            }
        }
        // negative axis, defaults, flattened
        close(cumsum(x64, 2).toDoubleArray(), cumsum(x64, -1).toDoubleArray(), 0);
        close(refScan(d, new int[] {60}, 0, false, true, 0, Double::sum), cumsum(x64).toDoubleArray(), 1e-12);
        assertEquals(Shape.of(60), cumprod(x64).shape());
    }

    @Test
    void rowWiseScansOverLeadingAxis() {
        int[] shape = {7, 3000};
        double[] d = rand(7 * 3000);
        Array x = array(toF(d), shape);
        double[] df = x.toDoubleArray();
        for (boolean rev : new boolean[] {false, true}) {
            for (boolean incl : new boolean[] {true, false}) {
                close(refScan(df, shape, 0, rev, incl, 0, Double::sum), cumsum(x, 0, rev, incl).toDoubleArray(), 1e-5);
                close(refScan(df, shape, 0, rev, incl, Double.NEGATIVE_INFINITY, Math::max), cummax(x, 0, rev, incl).toDoubleArray(), 0);
                close(refScan(df, shape, 0, rev, incl, Double.POSITIVE_INFINITY, Math::min), cummin(x, 0, rev, incl).toDoubleArray(), 0);
                close(refScan(df, shape, 0, rev, incl, 1, (a, b) -> a * b), cumprod(x, 0, rev, incl).toDoubleArray(), 1e-5);
            }
        }
    }

    @Test
    void scansOfNonContiguousInputs() {
        double[] d = rand(6 * 8);
        Array x = array(d, 6, 8);
        Array t = transpose(x); // (8, 6)
        double[] td = t.toDoubleArray();
        close(refScan(td, new int[] {8, 6}, 1, false, true, 0, Double::sum), cumsum(t, 1).toDoubleArray(), 1e-12);
        close(refScan(td, new int[] {8, 6}, 0, true, false, 0, Double::sum), cumsum(t, 0, true, false).toDoubleArray(), 1e-12);
        Array s = x.get("::2, 1::3");
        double[] sd = s.toDoubleArray();
        close(refScan(sd, s.shape().dims(), 1, false, true, Double.NEGATIVE_INFINITY, Math::max), cummax(s, 1).toDoubleArray(), 0);
        // a transposed view large enough for the tiled densify path, float32 and float64
        double[] big = rand(40 * 70);
        for (Array m : new Array[] {array(toF(big), 40, 70), array(big, 40, 70)}) {
            Array mt = transpose(m);
            double[] mtd = mt.toDoubleArray();
            close(refScan(mtd, new int[] {70, 40}, 1, false, true, 0, Double::sum), cumsum(mt, 1).toDoubleArray(), 1e-5);
            close(refScan(mtd, new int[] {70, 40}, 0, true, true, Double.NEGATIVE_INFINITY, Math::max), cummax(mt, 0, true, true).toDoubleArray(), 0);
        }
        Array b = broadcastTo(array(new float[] {1, 2}), 3, 2);
        assertArrayEquals(new float[] {1, 2, 2, 4, 3, 6}, cumsum(b, 0).toFloatArray());
    }

    @Test
    void scanDtypesIdentitiesAndNaN() {
        Array b = array(new boolean[] {true, false, true, true});
        assertEquals(DType.INT32, cumsum(b).dtype());
        assertArrayEquals(new int[] {1, 1, 2, 3}, cumsum(b).toIntArray());
        assertEquals(DType.UINT32, cumsum(astype(array(new int[] {200, 100}), DType.UINT8)).dtype());
        assertArrayEquals(new int[] {200, 300}, cumsum(astype(array(new int[] {200, 100}), DType.UINT8)).toIntArray());
        Array i = array(new int[] {3, 1, 4, 1, 5});
        assertEquals(DType.INT32, cummax(i).dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 3, 3, 4, 4}, cummax(i, 0, false, false).toIntArray());
        assertArrayEquals(new int[] {1, 1, 1, 5, Integer.MAX_VALUE}, cummin(i, 0, true, false).toIntArray());
        assertArrayEquals(new int[] {3, 3, 12, 12, 60}, cumprod(i).toIntArray());
        assertArrayEquals(new int[] {5, 3, 0}, cumsum(array(new int[] {1, 2, 3}), 0, true, false).toIntArray());
        assertArrayEquals(new long[] {1L << 40, 1L << 41}, cumsum(array(new long[] {1L << 40, 1L << 40})).toLongArray());
        assertEquals(DType.FLOAT32, logcumsumexp(i).dtype());
        float[] f = cummax(array(new float[] {1, Float.NaN, 3})).toFloatArray();
        assertEquals(1f, f[0]);
        assertTrue(Float.isNaN(f[1]) && Float.isNaN(f[2]));
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 0}, logcumsumexp(array(new float[] {Float.NEGATIVE_INFINITY, 0})).toFloatArray());
        assertEquals(Shape.of(0, 3), cumsum(zeros(0, 3), 0).shape());
        assertEquals(0, cumsum(zeros(0)).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cumsum(zeros(2, 3), 2));
        assertTrue(e.getMessage().startsWith("[cumsum] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> logcumsumexp(scalar(1, DType.FLOAT32), 0));
        assertTrue(e.getMessage().startsWith("[logcumsumexp] "), e.getMessage());
    }

    // ------------------------------------------------------------------ sort family

    @Test
    void sortAlongAxes() {
        int[] shape = {4, 5, 6};
        double[] d = rand(120);
        Array x = array(d, shape);
        for (int axis = 0; axis < 3; axis++) {
            double[] e = d.clone();
            int n = shape[axis];
            long inner = 1;
            for (int a = axis + 1; a < 3; a++) inner *= shape[a];
            for (long o = 0; o < 120 / (n * inner); o++) {
                for (long k = 0; k < inner; k++) {
                    double[] line = new double[n];
                    for (int i = 0; i < n; i++) line[i] = d[(int) ((o * n + i) * inner + k)];
                    Arrays.sort(line);
                    for (int i = 0; i < n; i++) e[(int) ((o * n + i) * inner + k)] = line[i];
                }
            }
            close(e, sort(x, axis).toDoubleArray(), 0);
            close(e, sort(x, axis - 3).toDoubleArray(), 0);
            close(e, sort(array(toF(d), shape), axis).toDoubleArray(), 1e-7);
            // argsort gathers the same values
            Array idx = argsort(x, axis);
            assertEquals(DType.UINT32, idx.dtype());
            int[] ix = idx.toIntArray();
            for (long o = 0; o < 120 / (n * inner); o++) {
                for (long k = 0; k < inner; k++) {
                    for (int i = 0; i < n; i++) {
                        int p = (int) ((o * n + i) * inner + k);
                        assertEquals(e[p], d[(int) ((o * n + ix[p]) * inner + k)]);
                    }
                }
            }
        }
        assertArrayEquals(sort(x, -1).toDoubleArray(), sort(x).toDoubleArray());
        // non-contiguous input
        Array t = transpose(x, 2, 0, 1);
        close(transpose(sort(x, 0), 2, 0, 1).toDoubleArray(), sort(t, 1).toDoubleArray(), 0);
    }

    @Test
    void sortNaNLastAndStableArgsort() {
        float nan = Float.NaN;
        Array x = array(new float[] {3, nan, -1, Float.NEGATIVE_INFINITY, 2, nan, Float.POSITIVE_INFINITY, -0f, 0f});
        float[] s = sort(x).toFloatArray();
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, -1, -0f, 0, 2, 3, Float.POSITIVE_INFINITY}, Arrays.copyOf(s, 7));
        assertTrue(Float.isNaN(s[7]) && Float.isNaN(s[8]));
        // -0 and 0 tie, so the stable order keeps them as given
        assertArrayEquals(new int[] {3, 2, 7, 8, 4, 0, 6, 1, 5}, argsort(x).toIntArray());
        Array d = astype(x, DType.FLOAT64);
        assertArrayEquals(new int[] {3, 2, 7, 8, 4, 0, 6, 1, 5}, argsort(d).toIntArray());
        Array ties = array(new int[] {2, 1, 2, 1, 2, 1});
        assertArrayEquals(new int[] {1, 3, 5, 0, 2, 4}, argsort(ties).toIntArray());
        assertArrayEquals(new int[] {1, 3, 5, 0, 2, 4}, argsort(astype(ties, DType.INT64)).toIntArray());
        assertArrayEquals(new int[] {1, 3, 5, 0, 2, 4}, argsort(astype(ties, DType.BFLOAT16)).toIntArray());
        Array u = astype(array(new long[] {4_000_000_000L, 1, 3_000_000_000L}), DType.UINT32);
        assertArrayEquals(new int[] {1, 2, 0}, argsort(u).toIntArray());
        assertArrayEquals(new long[] {1, 3_000_000_000L, 4_000_000_000L}, sort(u).toLongArray());
        assertArrayEquals(new int[] {-7, 0, 5}, sort(array(new int[] {5, -7, 0})).toIntArray());
        assertArrayEquals(new boolean[] {false, true, true}, sort(array(new boolean[] {true, false, true})).toBooleanArray());
        // a long stable index sort
        int n = 10_000;
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(50);
        int[] ix = argsort(array(v)).toIntArray();
        for (int i = 1; i < n; i++) {
            assertTrue(v[ix[i - 1]] < v[ix[i]] || (v[ix[i - 1]] == v[ix[i]] && ix[i - 1] < ix[i]), "stable at " + i);
        }
        double[] vd = new double[n];
        for (int i = 0; i < n; i++) vd[i] = v[i];
        int[] ixd = argsort(array(vd)).toIntArray();
        assertArrayEquals(ix, ixd);
    }

    @Test
    void partitionAndTopk() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            double[] d = new double[3 * 200];
            for (int i = 0; i < d.length; i++) d[i] = rnd.nextInt(1000) - 500;
            Array x = array(d, t, 3, 200);
            for (int kth : new int[] {0, 5, 17, 100, 190, 199, -1, -50}) {
                int k = kth < 0 ? kth + 200 : kth;
                double[] p = partition(x, kth).toDoubleArray();
                int[] ip = argpartition(x, kth, 1).toIntArray();
                for (int r = 0; r < 3; r++) {
                    double[] row = Arrays.copyOfRange(d, r * 200, r * 200 + 200);
                    double[] sorted = row.clone();
                    Arrays.sort(sorted);
                    assertEquals(sorted[k], p[r * 200 + k], t + " kth " + kth);
                    for (int i = 0; i < 200; i++) {
                        if (i < k) assertTrue(p[r * 200 + i] <= sorted[k]);
                        if (i > k) assertTrue(p[r * 200 + i] >= sorted[k]);
                        assertEquals(row[ip[r * 200 + i]], p[r * 200 + i]);
                    }
                    double[] pr = Arrays.copyOfRange(p, r * 200, r * 200 + 200);
                    Arrays.sort(pr);
                    assertArrayEquals(sorted, pr);
                }
            }
            double[] tk = topk(x, 5).toDoubleArray();
            for (int r = 0; r < 3; r++) {
                double[] sorted = Arrays.copyOfRange(d, r * 200, r * 200 + 200);
                Arrays.sort(sorted);
                assertArrayEquals(Arrays.copyOfRange(sorted, 195, 200), Arrays.copyOfRange(tk, r * 5, r * 5 + 5), t.toString());
            }
        }
        Array x = array(new float[] {3, 1, 4, 1, 5, 9, 2, 6}, 2, 4);
        assertArrayEquals(new float[] {3, 4, 6, 9}, topk(x, 2).toFloatArray());
        assertArrayEquals(new float[] {5, 9, 4, 6}, topk(x, 1, 0).toFloatArray());
        assertEquals(Shape.of(2, 0), topk(x, 0).shape());
        assertArrayEquals(sort(x).toFloatArray(), topk(x, 4).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 9, Float.NaN}, topk(array(new float[] {Float.NaN, 3, 1, 4, 9, 2, 6, 5}), 8).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> topk(x, 5));
        assertTrue(e.getMessage().startsWith("[topk] k 5 is out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> partition(x, 4));
        assertTrue(e.getMessage().startsWith("[partition] kth 4 is out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> argpartition(x, -5, 1));
        assertTrue(e.getMessage().startsWith("[argpartition] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sort(scalar(1, DType.FLOAT32)));
        assertTrue(e.getMessage().startsWith("[sort] "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> argsort(x, 2));
        assertTrue(e.getMessage().startsWith("[argsort] "), e.getMessage());
        assertEquals(Shape.of(0, 4), sort(zeros(0, 4)).shape());
        assertEquals(Shape.of(3, 0), argsort(zeros(3, 0)).shape());
    }

    // ------------------------------------------------------------------ gradients (float64)

    @Test
    void gradScans() {
        int[] shape = {3, 5};
        double[] x = rand(15);
        for (int axis : new int[] {0, 1}) {
            for (boolean rev : new boolean[] {false, true}) {
                for (boolean incl : new boolean[] {true, false}) {
                    ReductionGradCheck.check(v -> cumsum(v, axis, rev, incl), x, shape, 1e-6);
                    ReductionGradCheck.check(v -> cumprod(v, axis, rev, incl), x, shape, 1e-6);
                    ReductionGradCheck.check(v -> cummax(v, axis, rev, incl), x, shape, 1e-6);
                    ReductionGradCheck.check(v -> cummin(v, axis, rev, incl), x, shape, 1e-6);
                    ReductionGradCheck.check(v -> logcumsumexp(v, axis, rev, incl), x, shape, 1e-6);
                }
            }
        }
    }

    @Test
    void gradCumprodThroughZeros() {
        double[] x = {1.5, 0, -2, 0.5, 0, 3, 0.7, -1.2, 2, 0, 1.1, 0.9};
        for (boolean rev : new boolean[] {false, true}) {
            for (boolean incl : new boolean[] {true, false}) {
                ReductionGradCheck.check(v -> cumprod(v, 1, rev, incl), x, new int[] {2, 6}, 1e-6);
            }
        }
        double[] g = grad(v -> sum(cumprod(v))).apply(array(new double[] {2, 0, 3})).toDoubleArray();
        // d/dx of [x0, x0 x1, x0 x1 x2] summed: [1 + x1 + x1 x2, x0 + x0 x2, x0 x1]
        assertArrayEquals(new double[] {1, 8, 0}, g, 1e-12);
    }

    @Test
    void gradSortTopkPartition() {
        double[] x = rand(20);
        ReductionGradCheck.check(v -> sort(v, 1), x, new int[] {4, 5}, 1e-6);
        ReductionGradCheck.check(v -> sort(v, 0), x, new int[] {4, 5}, 1e-6);
        ReductionGradCheck.check(v -> topk(v, 2), x, new int[] {4, 5}, 1e-6);
        ReductionGradCheck.check(v -> topk(v, 3, 0), x, new int[] {4, 5}, 1e-6);
        ReductionGradCheck.check(v -> partition(v, 2), x, new int[] {4, 5}, 1e-6);
        ReductionGradCheck.check(v -> multiply(sort(v), sort(v)), x, new int[] {4, 5}, 1e-6);
        // the gradient of sorted values lands where each value came from
        double[] g = vjp(a -> java.util.List.of(sort(a.get(0))), java.util.List.of(array(new double[] {3, 1, 2})),
                java.util.List.of(array(new double[] {10, 20, 30}))).cotangents().get(0).toDoubleArray();
        assertArrayEquals(new double[] {30, 10, 20}, g);
    }
}
