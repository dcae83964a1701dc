package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

class AttentionTest {
    static Array rand(long seed, int... shape) { return MX.normal(shape, DType.FLOAT64, MX.key(seed)); }

    static void assertMessage(String prefix, Runnable r) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    /** x (n, t, in) times weight (out, in) plus bias, in double loops. */
    static double[] linearRef(double[] x, int rows, int in, double[] w, double[] b, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int k = 0; k < in; k++) s += x[r * in + k] * w[o * in + k];
                y[r * out + o] = s;
            }
        }
        return y;
    }

    static double[] p(Module m, String key) { return m.parameters().get(key).toDoubleArray(); }

    /**
     * Multi-head attention in double loops. mask: null or a full (n, heads, l, s) additive mask
     * (already broadcast), as doubles.
     */
    static double[] mhaRef(MultiHeadAttention m, double[] q, double[] k, double[] v, int n, int l, int s, double[] mask) {
        boolean bias = m.parameters().containsKey("query_proj.bias");
        int h = m.numHeads(), dq = m.dims() / h, dv = m.valueDims() / h;
        double[] qp = linearRef(q, n * l, m.queryInputDims(), p(m, "query_proj.weight"), bias ? p(m, "query_proj.bias") : null, m.dims());
        double[] kp = linearRef(k, n * s, m.keyInputDims(), p(m, "key_proj.weight"), bias ? p(m, "key_proj.bias") : null, m.dims());
        double[] vp = linearRef(v, n * s, m.valueInputDims(), p(m, "value_proj.weight"), bias ? p(m, "value_proj.bias") : null, m.valueDims());
        double[] joined = new double[n * l * m.valueDims()];
        for (int b = 0; b < n; b++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < l; i++) {
                    double[] sc = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int d = 0; d < dq; d++) dot += qp[(b * l + i) * m.dims() + hh * dq + d] * kp[(b * s + j) * m.dims() + hh * dq + d];
                        sc[j] = dot / Math.sqrt(dq) + (mask == null ? 0 : mask[((b * h + hh) * l + i) * s + j]);
                        max = Math.max(max, sc[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < s; j++) z += sc[j] = Math.exp(sc[j] - max);
                    for (int d = 0; d < dv; d++) {
                        double acc = 0;
                        for (int j = 0; j < s; j++) acc += sc[j] / z * vp[(b * s + j) * m.valueDims() + hh * dv + d];
                        joined[(b * l + i) * m.valueDims() + hh * dv + d] = acc;
                    }
                }
            }
        }
        return linearRef(joined, n * l, m.valueDims(), p(m, "out_proj.weight"), bias ? p(m, "out_proj.bias") : null, m.valueOutputDims());
    }

    static MultiHeadAttention oddSizes(boolean bias) { return new MultiHeadAttention(8, 2, 6, 5, 7, 4, 3, bias); }

    @Test void shapesAndKeys() {
        MultiHeadAttention m = oddSizes(false);
        LayerChecks.assertKeys(m, "query_proj.weight", "key_proj.weight", "value_proj.weight", "out_proj.weight");
        assertEquals(Shape.of(8, 6), m.parameters().get("query_proj.weight").shape());
        assertEquals(Shape.of(8, 5), m.parameters().get("key_proj.weight").shape());
        assertEquals(Shape.of(4, 7), m.parameters().get("value_proj.weight").shape());
        assertEquals(Shape.of(3, 4), m.parameters().get("out_proj.weight").shape());
        Array y = m.forward(MX.zeros(2, 3, 6), MX.zeros(2, 4, 5), MX.zeros(2, 4, 7));
        assertEquals(Shape.of(2, 3, 3), y.shape());

        // MLX's defaults: everything dims, value input = key input
        MultiHeadAttention d = new MultiHeadAttention(12, 3, 0, 9, 0, 0, 0, true);
        assertEquals(12, d.queryInputDims());
        assertEquals(9, d.valueInputDims());
        assertEquals(12, d.valueDims());
        assertEquals(12, d.valueOutputDims());
        LayerChecks.assertKeys(d, "query_proj.weight", "query_proj.bias", "key_proj.weight", "key_proj.bias",
                "value_proj.weight", "value_proj.bias", "out_proj.weight", "out_proj.bias");
        assertEquals(Shape.of(1, 5, 12), d.forward(MX.zeros(1, 5, 12), MX.zeros(1, 2, 9), MX.zeros(1, 2, 9)).shape());
    }

    @Test void matchesLoopsWithoutMask() {
        MultiHeadAttention m = oddSizes(true);
        m.setDtype(DType.FLOAT64);
        int n = 2, l = 3, s = 4;
        Array q = rand(1, n, l, 6), k = rand(2, n, s, 5), v = rand(3, n, s, 7);
        double[] ref = mhaRef(m, q.toDoubleArray(), k.toDoubleArray(), v.toDoubleArray(), n, l, s, null);
        Array y = m.forward(q, k, v);
        assertEquals(DType.FLOAT64, y.dtype());
        assertArrayEquals(ref, y.toDoubleArray(), 1e-12);
    }

    @Test void matchesLoopsWithCausalAndGeneralMasks() {
        MultiHeadAttention m = new MultiHeadAttention(6, 3, true);
        m.setDtype(DType.FLOAT64);
        int n = 2, l = 5, h = 3;
        Array x = rand(4, n, l, 6);
        double[] xs = x.toDoubleArray();

        double[] causal = new double[n * h * l * l];
        for (int i = 0; i < causal.length; i++) {
            int j = i % l, row = (i / l) % l;
            causal[i] = j > row ? -1e300 : 0;
        }
        double[] ref = mhaRef(m, xs, xs, xs, n, l, l, causal);
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Array mask = MultiHeadAttention.createAdditiveCausalMask(l, dt);
            assertArrayEquals(ref, m.forward(x, x, x, mask).toDoubleArray(), 1e-12, "causal mask in " + dt);
        }
        // a bool keep mask (MLX's sdpa) is the same as the additive one
        Array keep = MX.greaterEqual(MX.expandDims(MX.arange(l), 1), MX.expandDims(MX.arange(l), 0));
        assertArrayEquals(ref, m.forward(x, x, x, keep).toDoubleArray(), 1e-12, "bool mask");

        // a general additive mask of shape (N, 1, 1, S) broadcasts over heads and queries
        Array pad = MX.array(new double[] {0, 0, 0, -1e9, -1e9, 0, -2.5, 0, 1.5, 0}, DType.FLOAT64, n, 1, 1, l);
        double[] padRef = new double[n * h * l * l];
        double[] padVals = pad.toDoubleArray();
        for (int b = 0; b < n; b++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < l; i++) {
                    for (int j = 0; j < l; j++) padRef[((b * h + hh) * l + i) * l + j] = padVals[b * l + j];
                }
            }
        }
        assertArrayEquals(mhaRef(m, xs, xs, xs, n, l, l, padRef), m.forward(x, x, x, pad).toDoubleArray(), 1e-12, "padding mask");
    }

    @Test void causalMaskValues() {
        double[] m32 = MultiHeadAttention.createAdditiveCausalMask(4).toDoubleArray();
        double[] m64 = MultiHeadAttention.createAdditiveCausalMask(4, DType.FLOAT64).toDoubleArray();
        assertEquals(DType.FLOAT32, MultiHeadAttention.createAdditiveCausalMask(4).dtype());
        assertEquals(Shape.of(4, 4), MultiHeadAttention.createAdditiveCausalMask(4).shape());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(j > i ? -Float.MAX_VALUE : 0, m32[i * 4 + j], 0, "float32 (" + i + ", " + j + ")");
                assertEquals(j > i ? -Double.MAX_VALUE : 0, m64[i * 4 + j], 0, "float64 (" + i + ", " + j + ")");
            }
        }
        assertEquals(-65504.0, MultiHeadAttention.createAdditiveCausalMask(2, DType.FLOAT16).toDoubleArray()[1], 0);
        assertEquals(Shape.of(0, 0), MultiHeadAttention.createAdditiveCausalMask(0).shape());
    }

    @Test void causalOutputDoesNotSeeTheFuture() {
        MultiHeadAttention m = new MultiHeadAttention(8, 2, true);
        m.setDtype(DType.FLOAT64);
        int l = 6;
        Array mask = MultiHeadAttention.createAdditiveCausalMask(l, DType.FLOAT64);
        Array x = rand(7, 1, l, 8);
        double[] base = m.forward(x, x, x, mask).toDoubleArray();
        for (int t = 0; t < l - 1; t++) {
            // perturb every position after t
            double[] xs = x.toDoubleArray();
            double[] noise = rand(100 + t, 1, l, 8).toDoubleArray();
            for (int i = (t + 1) * 8; i < xs.length; i++) xs[i] += noise[i];
            double[] y = m.forward(MX.array(xs, DType.FLOAT64, 1, l, 8), MX.array(xs, DType.FLOAT64, 1, l, 8), MX.array(xs, DType.FLOAT64, 1, l, 8), mask).toDoubleArray();
            for (int i = 0; i < (t + 1) * 8; i++) assertEquals(base[i], y[i], 1e-12, "position " + i / 8 + " after perturbing > " + t);
            double change = 0;
            for (int i = (t + 1) * 8; i < xs.length; i++) change += Math.abs(base[i] - y[i]);
            assertTrue(change > 1e-6, "later positions change");
        }
        // without the mask, position 0 does see the perturbation
        double[] noMask = m.forward(x, x, x).toDoubleArray();
        double[] xs = x.toDoubleArray();
        xs[xs.length - 1] += 1;
        Array x2 = MX.array(xs, DType.FLOAT64, 1, l, 8);
        assertTrue(Math.abs(m.forward(x2, x2, x2).toDoubleArray()[0] - noMask[0]) > 1e-9);
    }

    @Test void layerContract() {
        Array q = MX.normal(new int[] {2, 3, 6}, MX.key(1)), k = MX.normal(new int[] {2, 4, 5}, MX.key(2)), v = MX.normal(new int[] {2, 4, 7}, MX.key(3));
        LayerChecks.assertLayerContract(oddSizes(true), () -> oddSizes(true), m -> m.forward(q, k, v));
        Array x = MX.normal(new int[] {2, 5, 8}, MX.key(4));
        Array mask = MultiHeadAttention.createAdditiveCausalMask(5);
        LayerChecks.assertLayerContract(new MultiHeadAttention(8, 4), () -> new MultiHeadAttention(8, 4), m -> m.forward(x, x, x, mask));
    }

    @Test void badInputs() {
        assertMessage("[MultiHeadAttention] dims must be divisible by numHeads, got dims=10 and numHeads=4", () -> new MultiHeadAttention(10, 4));
        assertMessage("[MultiHeadAttention] valueDims must be divisible", () -> new MultiHeadAttention(8, 4, 0, 0, 0, 6, 0, false));
        assertMessage("[MultiHeadAttention] dims and numHeads must be positive", () -> new MultiHeadAttention(8, 0));
        assertMessage("[MultiHeadAttention] sizes must be positive", () -> new MultiHeadAttention(8, 2, -1, 0, 0, 0, 0, false));
        MultiHeadAttention m = oddSizes(false);
        Array q = MX.zeros(2, 3, 6), k = MX.zeros(2, 4, 5), v = MX.zeros(2, 4, 7);
        assertMessage("[MultiHeadAttention] expected queries (N, L, 6), got shape (2, 3, 5)", () -> m.forward(MX.zeros(2, 3, 5), k, v));
        assertMessage("[MultiHeadAttention] expected keys (N, S, 5), got shape (4, 5)", () -> m.forward(q, MX.zeros(4, 5), v));
        assertMessage("[MultiHeadAttention] expected values (N, S, 7)", () -> m.forward(q, k, MX.zeros(2, 4, 6)));
        assertMessage("[MultiHeadAttention] queries (N, L, _), keys and values (N, S, _) must agree", () -> m.forward(q, k, MX.zeros(2, 5, 7)));
        assertMessage("[MultiHeadAttention] queries (N, L, _), keys and values (N, S, _) must agree", () -> m.forward(MX.zeros(3, 3, 6), k, v));
        assertMessage("[MultiHeadAttention] the mask must broadcast to (N, numHeads, L, S) = (2, 2, 3, 4), got shape (3, 3)",
                () -> m.forward(q, k, v, MX.zeros(3, 3)));
        assertMessage("[MultiHeadAttention] the mask must broadcast", () -> m.forward(q, k, v, MX.zeros(1, 2, 2, 3, 4)));
        assertMessage("[MultiHeadAttention] the causal mask needs a floating dtype", () -> MultiHeadAttention.createAdditiveCausalMask(3, DType.INT32));
        assertMessage("[MultiHeadAttention] the mask size must be non-negative", () -> MultiHeadAttention.createAdditiveCausalMask(-1));
    }
}
