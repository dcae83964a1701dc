package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.Index.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexingTest {

    private static Array ints(int[] v, int... dims) { return array(v, dims.length == 0 ? new int[] {v.length} : dims); }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    /** A lazy (not yet evaluated) copy of integer indices, so the op cannot check them eagerly. */
    private static Array lazy(int... v) { return add(ints(v), scalar(0, DType.INT32)); }

    // ------------------------------------------------------------------ basic indexing with Index items

    @Test
    void indexItemsMatchStrings() {
        Array x = arange(24).reshape(2, 3, 4);
        Array a = get(x, at(1), slice(null, null, 2), newAxis(), ellipsis());
        Array b = x.get("1, ::2, None, ...");
        assertEquals(b.shape(), a.shape());
        assertEquals(Shape.of(2, 1, 4), a.shape());
        assertArrayEquals(b.toIntArray(), a.toIntArray());
        assertArrayEquals(new int[] {23, 22, 21, 20}, x.get(at(-1), at(-1), slice(null, null, -1)).toIntArray());
        assertArrayEquals(x.get("..., 1:3").toIntArray(), x.get(ellipsis(), slice(1, 3)).toIntArray());
        assertArrayEquals(new int[] {13, 17}, x.get(at(1), slice(0, 2), all()).get(all(), at(1)).toIntArray());
        assertSame(x, get(x));
        assertEquals("[1, 1:3, ::-1, None, ...]", List.of(at(1), slice(1, 3), slice(null, null, -1), newAxis(), ellipsis()).toString());
        assertMessage("[get] index 2 is out of bounds for axis 0 with size 2.", () -> x.get(at(2)));
        assertMessage("[get] index -4 is out of bounds for axis 1 with size 3.", () -> x.get(all(), at(-4)));
        assertMessage("[get] slice step cannot be zero in [0:2:0].", () -> x.get(slice(0, 2, 0)));
        assertMessage("[get] an index can have only one ellipsis, got [..., 0, ...].", () -> x.get(ellipsis(), at(0), ellipsis()));
        assertMessage("[get] too many indices (4) for an array with 3 dimensions.", () -> x.get(at(0), at(0), at(0), at(0)));
        assertMessage("[get] slice step cannot be zero in [::0].", () -> x.get("::0"));
    }

    // ------------------------------------------------------------------ take

    @Test
    void takeValues() {
        Array x = arange(12).reshape(3, 4);
        assertArrayEquals(new int[] {8, 9, 10, 11, 0, 1, 2, 3}, take(x, ints(new int[] {2, 0}), 0).toIntArray());
        Array t = take(x, ints(new int[] {1, 3, 0, 0}, 2, 2), 1);
        assertEquals(Shape.of(3, 2, 2), t.shape());
        assertArrayEquals(new int[] {1, 3, 0, 0, 5, 7, 4, 4, 9, 11, 8, 8}, t.toIntArray());
        assertArrayEquals(new int[] {11, 11, 0}, take(x, ints(new int[] {11, -1, 0})).toIntArray());
        Array row = take(x, scalar(1, DType.INT32), 0);
        assertEquals(Shape.of(4), row.shape());
        assertArrayEquals(new int[] {4, 5, 6, 7}, row.toIntArray());
        assertArrayEquals(new int[] {3, 7, 11}, take(x, array(new long[] {-1}), -1).reshape(3).toIntArray());
        assertArrayEquals(new int[] {0, 4, 8, 2, 6, 10}, take(x.T(), array(new double[] {0, 2}, DType.UINT8), 0).toIntArray());
        Array bx = broadcastTo(arange(3), 4, 3);
        assertArrayEquals(new int[] {2, 1, 2, 1, 2, 1, 2, 1}, take(bx, ints(new int[] {2, 1}), 1).toIntArray());
        Array strided = take(x, broadcastTo(ints(new int[] {2, 0}, 2, 1), 2, 3), 0);    // broadcast index array
        assertEquals(Shape.of(2, 3, 4), strided.shape());
        assertArrayEquals(new int[] {8, 9, 10, 11}, strided.get("0, 2").toIntArray());
        assertEquals(Shape.of(0, 4), take(x, zeros(new int[] {0}, DType.INT32), 0).shape());
        assertEquals(Shape.of(0, 2), take(zeros(0, 4), ints(new int[] {1, 2}), 1).shape());
        assertEquals(5f, take(array(5), ints(new int[] {0})).itemFloat());
    }

    @Test
    void takeAnyDtype() {
        Array idx = ints(new int[] {2, 0, 2});
        assertArrayEquals(new boolean[] {true, false, true}, take(array(new boolean[] {false, true, true}), idx).toBooleanArray());
        assertArrayEquals(new long[] {1L << 40, 5, 1L << 40}, take(array(new long[] {5, 7, 1L << 40}), idx).toLongArray());
        assertArrayEquals(new float[] {0.5f, -1f, 0.5f}, take(array(new double[] {-1, 2, 0.5}, DType.FLOAT16), idx).toFloatArray());
        assertArrayEquals(new float[] {3f, 1f, 3f}, take(array(new double[] {1, 2, 3}, DType.BFLOAT16), idx).toFloatArray());
        assertArrayEquals(new double[] {1e-300, 1, 1e-300}, take(array(new double[] {1, 2, 1e-300}), idx).toDoubleArray());
        assertArrayEquals(new int[] {-3, 1, -3}, take(array(new double[] {1, 2, -3}, DType.INT8), idx).toIntArray());
    }

    @Test
    void takeErrorsAndClamping() {
        Array x = arange(12).reshape(3, 4);
        assertMessage("[take] index 7 is out of bounds for axis 0 with size 3.", () -> take(x, ints(new int[] {0, 7}), 0));
        assertMessage("[take] index -4 is out of bounds for axis 0 with size 3.", () -> take(x, ints(new int[] {-4}), 0));
        assertMessage("[take] index 12 is out of bounds for axis 0 with size 12.", () -> take(x, ints(new int[] {12})));
        assertMessage("[take] indices must have an integer dtype, got float32.", () -> take(x, array(new float[] {1}), 0));
        assertMessage("[take] indices must have an integer dtype, got bool.", () -> take(x, array(new boolean[] {true}), 0));
        assertMessage("[take] axis 2 is out of range for an array with 2 dimensions.", () -> take(x, ints(new int[] {0}), 2));
        assertMessage("[take] cannot index axis 0 of size 0 with 1 indices.", () -> take(zeros(0, 2), ints(new int[] {0}), 0));
        // indices only known after evaluation are clamped into range instead of read out of bounds
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11}, take(x, lazy(-10, 5, -1), 0).toIntArray());
        assertArrayEquals(new int[] {0, 11}, take(x, lazy(-100, 100)).toIntArray());
    }

    @Test
    void takeLargeMatchesLoop() {
        Random r = new Random(1);
        int n = 2000, d = 33, m = 5000;
        float[] xv = new float[n * d];
        for (int i = 0; i < xv.length; i++) xv[i] = r.nextFloat();
        int[] iv = new int[m];
        for (int i = 0; i < m; i++) iv[i] = r.nextInt(2 * n) - n;
        Array x = array(xv, n, d);
        float[] got = take(x, ints(iv), 0).toFloatArray();
        for (int i = 0; i < m; i++) {
            int row = iv[i] < 0 ? iv[i] + n : iv[i];
            for (int j = 0; j < d; j++) assertEquals(xv[row * d + j], got[i * d + j]);
        }
        int mc = 700;
        int[] cols = new int[mc];
        for (int i = 0; i < mc; i++) cols[i] = r.nextInt(d);
        float[] got2 = take(x, ints(cols), 1).toFloatArray();
        for (int i = 0; i < n; i += 7) {
            for (int k = 0; k < mc; k++) assertEquals(xv[i * d + cols[k]], got2[i * mc + k]);
        }
    }

    // ------------------------------------------------------------------ takeAlongAxis / putAlongAxis

    @Test
    void takeAlongAxisValues() {
        Array x = ints(new int[] {10, 30, 20, 60, 40, 50}, 2, 3);
        Array sorted = takeAlongAxis(x, ints(new int[] {0, 2, 1, 1, 2, 0}, 2, 3), 1);
        assertArrayEquals(new int[] {10, 20, 30, 40, 50, 60}, sorted.toIntArray());
        assertArrayEquals(new int[] {60, 30, 50}, takeAlongAxis(x, ints(new int[] {1, 0, 1}, 1, 3), 0).toIntArray());
        Array b = takeAlongAxis(x, ints(new int[] {0, 2}, 1, 2), -1);       // indices broadcast over rows
        assertEquals(Shape.of(2, 2), b.shape());
        assertArrayEquals(new int[] {10, 20, 60, 50}, b.toIntArray());
        Array c = takeAlongAxis(ints(new int[] {1, 2, 3}, 1, 3), ints(new int[] {2, 0}, 2, 1), 1);   // x broadcast over rows
        assertArrayEquals(new int[] {3, 1}, c.toIntArray());
        assertArrayEquals(new int[] {20, 40}, takeAlongAxis(x.T(), ints(new int[] {2, 1}, 1, 2), 0).toIntArray());
        assertEquals(Shape.of(2, 0), takeAlongAxis(x, zeros(new int[] {2, 0}, DType.INT32), 1).shape());
        assertMessage("[takeAlongAxis] indices must have the same number of dimensions as x, got shapes (2, 3) and (3,).",
                () -> takeAlongAxis(x, ints(new int[] {0, 1, 2}), 1));
        assertMessage("[takeAlongAxis] shapes (2, 3) of x and (3, 1) of indices do not broadcast outside axis 1.",
                () -> takeAlongAxis(x, ints(new int[] {0, 1, 2}, 3, 1), 1));
        assertMessage("[takeAlongAxis] index 3 is out of bounds for axis 1 with size 3.", () -> takeAlongAxis(x, ints(new int[] {3}, 1, 1), 1));
    }

    @Test
    void takeAlongAxisStridedMatchesLoop() {
        // post axes (4, 3) with strides (1, 4): they do not collapse to one stride
        Array x = arange(24).reshape(2, 3, 4).transpose(0, 2, 1);          // (2, 4, 3), x[i, j, k] = 12i + 4k + j
        Random r = new Random(3);
        int[] iv = new int[3 * 4 * 3];
        for (int i = 0; i < iv.length; i++) iv[i] = r.nextInt(4) - 2;
        int[] got = takeAlongAxis(x, ints(iv, 3, 4, 3), 0).toIntArray();
        assertMessage("[takeAlongAxis] index 2 is out of bounds for axis 0 with size 2.", () -> takeAlongAxis(x, ints(new int[] {2}, 1, 1, 1), 0));
        // x's axis 0 has size 2 and the indices have 3 rows: out[a, j, k] = x[idx[a, j, k], j, k]
        for (int a = 0; a < 3; a++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    int v = iv[(a * 4 + j) * 3 + k];
                    int i = v < 0 ? v + 2 : v;
                    assertEquals(12 * i + 4 * k + j, got[(a * 4 + j) * 3 + k]);
                }
            }
        }
    }

    @Test
    void putAlongAxisValues() {
        Array x = zeros(2, 3);
        Array p = putAlongAxis(x, ints(new int[] {1, 2}, 2, 1), array(new float[] {5, 7}, 2, 1), 1);
        assertArrayEquals(new float[] {0, 5, 0, 0, 0, 7}, p.toFloatArray());
        Array q = putAlongAxis(x, ints(new int[] {0, 0, -1}, 1, 3), array(9), 1);     // indices broadcast over rows; last wins
        assertArrayEquals(new float[] {9, 0, 9, 9, 0, 9}, q.toFloatArray());
        Array r = putAlongAxis(x, ints(new int[] {0, 0}, 1, 2), array(new float[] {1, 2}, 1, 2), 1);
        assertArrayEquals(new float[] {2, 0, 0, 2, 0, 0}, r.toFloatArray());
        Array s = putAlongAxis(arange(6).reshape(2, 3).T(), ints(new int[] {1, 0}, 1, 2), ints(new int[] {-1, -2}, 1, 2), 0);
        assertArrayEquals(new int[] {0, -2, -1, 4, 2, 5}, s.toIntArray());
        assertMessage("[putAlongAxis] indices of shape (3, 1) do not broadcast to x's shape (2, 3) outside axis 1.",
                () -> putAlongAxis(x, ints(new int[] {0, 0, 0}, 3, 1), array(1), 1));
        assertMessage("[putAlongAxis] updates of shape (3,) cannot be broadcast to (2, 1).",
                () -> putAlongAxis(x, ints(new int[] {0, 0}, 2, 1), array(new float[] {1, 2, 3}), 1));
    }

    // ------------------------------------------------------------------ scatter / scatterAdd

    @Test
    void scatterReplaceAndAdd() {
        Array x = zeros(4, 2);
        Array idx = ints(new int[] {0, 2, 0});
        Array u = array(new float[] {1, 1, 2, 2, 3, 3}, 3, 2);
        assertArrayEquals(new float[] {3, 3, 0, 0, 2, 2, 0, 0}, scatter(x, idx, u, 0).toFloatArray());
        assertArrayEquals(new float[] {4, 4, 0, 0, 2, 2, 0, 0}, scatterAdd(x, idx, u, 0).toFloatArray());
        Array y = scatterAdd(zeros(2, 3), ints(new int[] {2, -1}), array(new float[] {1, 2, 3, 4}, 2, 2), 1);
        assertArrayEquals(new float[] {0, 0, 3, 0, 0, 7}, y.toFloatArray());
        assertArrayEquals(new float[] {2, 2, 0, 0, 1, 1, 0, 0}, scatterAdd(x, idx, array(1), 0).toFloatArray());
        Array ix = scatterAdd(arange(4), ints(new int[] {1, 1}), array(new float[] {2.7f, 1.2f}), 0);
        assertEquals(DType.INT32, ix.dtype());
        assertArrayEquals(new int[] {0, 4, 2, 3}, ix.toIntArray());
        Array h = scatterAdd(zeros(new int[] {3}, DType.FLOAT16), ints(new int[] {2, 2, 0}), array(new float[] {0.5f, 0.25f, 1}), 0);
        assertArrayEquals(new float[] {1, 0, 0.75f}, h.toFloatArray());
        Array b = scatter(zeros(new int[] {3}, DType.BOOL), ints(new int[] {1}), array(new boolean[] {true}), 0);
        assertArrayEquals(new boolean[] {false, true, false}, b.toBooleanArray());
        // 2-D indices: updates have the indices' shape in place of the axis
        Array m = scatter(zeros(5), ints(new int[] {4, 0, 1, 4}, 2, 2), array(new float[] {1, 2, 3, 4}, 2, 2), 0);
        assertArrayEquals(new float[] {2, 3, 0, 0, 4}, m.toFloatArray());
        // strided x and updates
        Array s = scatterAdd(arange(6).reshape(2, 3).T(), ints(new int[] {2}), ints(new int[] {10, 20}, 2, 1).T(), 0);
        assertArrayEquals(new int[] {0, 3, 1, 4, 12, 25}, s.toIntArray());
        assertArrayEquals(x.toFloatArray(), scatter(x, zeros(new int[] {0}, DType.INT32), zeros(0, 2), 0).toFloatArray());
    }

    @Test
    void scatterErrorsAndClamping() {
        Array x = zeros(4, 2);
        assertMessage("[scatterAdd] updates of shape (3,) cannot be broadcast to (2, 2).",
                () -> scatterAdd(x, ints(new int[] {0, 1}), array(new float[] {1, 2, 3}), 0));
        assertMessage("[scatter] index 4 is out of bounds for axis 0 with size 4.", () -> scatter(x, ints(new int[] {4}), array(1), 0));
        assertMessage("[scatterAdd] indices must have an integer dtype, got float64.", () -> scatterAdd(x, array(new double[] {1}), array(1), 0));
        assertMessage("[scatter] axis -3 is out of range for an array with 2 dimensions.", () -> scatter(x, ints(new int[] {0}), array(1), -3));
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 2, 2}, scatterAdd(x, lazy(-9, 9, 3), array(new float[] {1, 1, 1}, 3, 1), 0).toFloatArray());
    }

    @Test
    void scatterAddLargeMatchesLoop() {
        Random r = new Random(2);
        int n = 100, d = 64, m = 6400;
        int[] iv = new int[m];
        for (int i = 0; i < m; i++) iv[i] = r.nextInt(n);
        double[] uv = new double[m * d];
        for (int i = 0; i < uv.length; i++) uv[i] = r.nextInt(7) - 3;
        double[] got = scatterAdd(zeros(new int[] {n, d}, DType.FLOAT64), ints(iv), array(uv, m, d), 0).toDoubleArray();
        double[] want = new double[n * d];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) want[iv[i] * d + j] += uv[i * d + j];
        assertArrayEquals(want, got, 0);
        // along the last axis, per-element (not broadcast) indices: the gradient of takeAlongAxis
        Array idx = ints(iv, m / d, d);
        double[] g = grad(v -> sum(takeAlongAxis(v, idx, 0))).apply(zeros(new int[] {n, d}, DType.FLOAT64)).toDoubleArray();
        double[] wg = new double[n * d];
        for (int i = 0; i < m; i++) wg[iv[i] * d + i % d] += 1;
        assertArrayEquals(wg, g, 0);
    }

    // ------------------------------------------------------------------ gradients (float64)

    @Test
    void gradTake() {
        Array x = ShapeGradCheck.randomArray(21, 4, 3);
        Array idx = ints(new int[] {2, 0, 2, -1}, 2, 2);
        ShapeGradCheck.check("take axis 0", v -> square(take(v, idx, 0)), x);
        ShapeGradCheck.check("take axis 1", v -> multiply(take(v, ints(new int[] {1, 1, 0}), 1), take(v, ints(new int[] {2, 0, 0}), 1)), x);
        ShapeGradCheck.check("take flat", v -> square(take(v.T(), idx)), x);
        ShapeGradCheck.check("grad of take", v -> grad(u -> sum(multiply(square(take(u, idx, 0)), take(u, idx, 0)))).apply(v), x);
    }

    @Test
    void gradTakeAlongAxisAndPut() {
        Array x = ShapeGradCheck.randomArray(22, 3, 4);
        Array idx = ints(new int[] {3, 3, 0, 1, 2, 2}, 3, 2);
        ShapeGradCheck.check("takeAlongAxis", v -> square(takeAlongAxis(v, idx, 1)), x);
        ShapeGradCheck.check("takeAlongAxis broadcast", v -> square(takeAlongAxis(v, ints(new int[] {2, 0}, 2, 1), 0)), x);
        Array vals = ShapeGradCheck.randomArray(23, 3, 2);
        ShapeGradCheck.check("putAlongAxis x", v -> square(putAlongAxis(v, idx, vals, 1)), x);
        ShapeGradCheck.check("putAlongAxis values", v -> square(putAlongAxis(x, idx, v, 1)), vals);
    }

    @Test
    void gradScatter() {
        Array x = ShapeGradCheck.randomArray(24, 4, 3);
        Array idx = ints(new int[] {1, 3, 1});
        Array u = ShapeGradCheck.randomArray(25, 3, 3);
        ShapeGradCheck.check("scatterAdd x", v -> square(scatterAdd(v, idx, u, 0)), x);
        ShapeGradCheck.check("scatterAdd updates", v -> square(scatterAdd(x, idx, v, 0)), u);
        ShapeGradCheck.check("scatterAdd axis 1", v -> square(scatterAdd(x, ints(new int[] {2, 2}), v, 1)), ShapeGradCheck.randomArray(26, 4, 2));
        ShapeGradCheck.check("scatter x", v -> square(scatter(v, idx, u, 0)), x);
        // repeated index 1: only the last update reaches the output, so only it gets a gradient
        ShapeGradCheck.check("scatter updates", v -> square(scatter(x, idx, v, 0)), u);
        Array g = grad(v -> sum(scatter(x, idx, v, 0))).apply(u);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1, 1, 1, 1}, g.toDoubleArray());
    }

    @Test
    void gradIndexItems() {
        ShapeGradCheck.check("get", v -> square(v.get(at(1), slice(null, null, -2), newAxis())), ShapeGradCheck.randomArray(27, 3, 5));
    }
}
