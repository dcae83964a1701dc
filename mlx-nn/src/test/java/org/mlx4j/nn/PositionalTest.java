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

class PositionalTest {
    static Array rand(long seed, int... shape) { return MX.normal(shape, DType.FLOAT64, MX.key(seed)); }

    static void assertMessage(String prefix, Runnable r) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    /** RoPE in double loops over x (rows, L, D). */
    static double[] ropeRef(double[] x, int rows, int len, int d, int dims, boolean traditional, double base, double scale, int offset) {
        double[] y = x.clone();
        int half = dims / 2;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < len; t++) {
                int o = (r * len + t) * d;
                for (int i = 0; i < half; i++) {
                    double theta = (offset + t) * scale * Math.pow(base, -2.0 * i / dims);
                    int ia = traditional ? 2 * i : i, ib = traditional ? 2 * i + 1 : i + half;
                    double a = x[o + ia], b = x[o + ib];
                    y[o + ia] = a * Math.cos(theta) - b * Math.sin(theta);
                    y[o + ib] = a * Math.sin(theta) + b * Math.cos(theta);
                }
            }
        }
        return y;
    }

    @Test void ropeMatchesLoops() {
        Array x = rand(1, 2, 3, 5, 10);   // (2, 3) leading axes, L = 5, D = 10
        double[] xs = x.toDoubleArray();
        for (boolean traditional : new boolean[] {false, true}) {
            RoPE full = new RoPE(10, traditional, 10000, 1);
            assertArrayEquals(ropeRef(xs, 6, 5, 10, 10, traditional, 10000, 1, 0), full.forward(x).toDoubleArray(), 1e-12, "full, traditional=" + traditional);
            RoPE partial = new RoPE(6, traditional, 500, 0.5);
            Array y = partial.forward(x, 7);
            assertEquals(x.shape(), y.shape());
            assertEquals(DType.FLOAT64, y.dtype());
            assertArrayEquals(ropeRef(xs, 6, 5, 10, 6, traditional, 500, 0.5, 7), y.toDoubleArray(), 1e-12, "partial, traditional=" + traditional);
        }
        // float32 in, float32 out, close to the float64 result
        Array y32 = new RoPE(10).forward(MX.astype(x, DType.FLOAT32), 3);
        assertEquals(DType.FLOAT32, y32.dtype());
        assertArrayEquals(ropeRef(xs, 6, 5, 10, 10, false, 10000, 1, 3), y32.toDoubleArray(), 1e-5);
        assertEquals(10000.0, new RoPE(4).base());
        assertEquals(1.0, new RoPE(4).scale());
    }

    @Test void ropePreservesNormsAndRelativePositions() {
        Array x = rand(2, 1, 7, 8);
        for (boolean traditional : new boolean[] {false, true}) {
            RoPE rope = new RoPE(8, traditional, 10000, 1);
            double[] xs = x.toDoubleArray(), ys = rope.forward(x, 4).toDoubleArray();
            for (int t = 0; t < 7; t++) {
                double nx = 0, ny = 0;
                for (int k = 0; k < 8; k++) {
                    nx += xs[t * 8 + k] * xs[t * 8 + k];
                    ny += ys[t * 8 + k] * ys[t * 8 + k];
                }
                assertEquals(nx, ny, 1e-12 * nx, "norm at position " + t);
            }
            // <rope(q, m), rope(k, n)> depends only on m - n
            Array q = rand(3, 1, 1, 8), k = rand(4, 1, 1, 8);
            double d1 = MX.sum(MX.multiply(rope.forward(q, 5), rope.forward(k, 2))).item();
            double d2 = MX.sum(MX.multiply(rope.forward(q, 13), rope.forward(k, 10))).item();
            assertEquals(d1, d2, 1e-12);
        }
    }

    @Test void ropeGradientIsTheInverseRotation() {
        // the rotation is orthogonal: the gradient of <rope(x), c> is rope^-1(c), whose rope is c
        RoPE rope = new RoPE(6, true, 10000, 1);
        Array x = rand(5, 1, 4, 6), c = rand(6, 1, 4, 6);
        Array g = MX.grad((Array in) -> MX.sum(MX.multiply(rope.forward(in, 2), c))).apply(x);
        assertArrayEquals(c.toDoubleArray(), rope.forward(g, 2).toDoubleArray(), 1e-12);
    }

    @Test void sinusoidalMatchesFormula() {
        Array pos = MX.array(new double[] {0, 1, 2.5, 10, 100, 7}, DType.FLOAT64, 2, 3);
        double[] ps = pos.toDoubleArray();
        for (boolean cosFirst : new boolean[] {false, true}) {
            for (boolean fullTurns : new boolean[] {false, true}) {
                int dims = 8, h = 4;
                double minF = 1e-3, maxF = 2;
                SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(dims, minF, maxF, null, cosFirst, fullTurns);
                Array y = pe.forward(pos);
                assertEquals(Shape.of(2, 3, 8), y.shape());
                double[] ys = y.toDoubleArray();
                for (int p = 0; p < 6; p++) {
                    for (int i = 0; i < h; i++) {
                        // frequencies from maxF (i = 0) down to minF (i = h - 1), geometrically
                        double sigma = maxF * Math.pow(minF / maxF, (double) i / (h - 1)) * (fullTurns ? 2 * Math.PI : 1);
                        double s = Math.sqrt(2.0 / dims) * Math.sin(ps[p] * sigma), c = Math.sqrt(2.0 / dims) * Math.cos(ps[p] * sigma);
                        assertEquals(cosFirst ? c : s, ys[p * dims + i], 1e-12);
                        assertEquals(cosFirst ? s : c, ys[p * dims + h + i], 1e-12);
                    }
                }
            }
        }
        // defaults, an explicit scale, and integer positions (float32 out)
        SinusoidalPositionalEncoding d = new SinusoidalPositionalEncoding(6);
        assertEquals(1e-4, d.minFreq());
        assertEquals(1.0, d.maxFreq());
        assertEquals(Math.sqrt(2.0 / 6), d.scale(), 1e-15);
        Array yi = new SinusoidalPositionalEncoding(4, 1e-4, 1, 1.0, false, false).forward(MX.arange(3));
        assertEquals(DType.FLOAT32, yi.dtype());
        assertEquals(Shape.of(3, 4), yi.shape());
        double[] v = yi.toDoubleArray();
        assertEquals(Math.sin(2 * 1.0), v[2 * 4], 1e-6);
        assertEquals(Math.cos(2 * 1e-4), v[2 * 4 + 3], 1e-6);
        assertTrue(new SinusoidalPositionalEncoding(4).parameters().isEmpty());
    }

    @Test void alibiMatchesFormula() {
        int n = 2, h = 4, l = 3, s = 5, offset = 2;
        Array scores = rand(7, n, h, l, s);
        Array mask = MX.array(new double[] {0, 0, -1e9, 0, 0}, DType.FLOAT64, 1, 1, 1, s);
        ALiBi alibi = new ALiBi();
        Array y = alibi.forward(scores, offset, mask);
        assertEquals(scores.shape(), y.shape());
        assertEquals(DType.FLOAT64, y.dtype());
        double[] sc = scores.toDoubleArray(), ys = y.toDoubleArray(), ms = mask.toDoubleArray();
        double[] y0 = alibi.forward(scores).toDoubleArray();
        for (int b = 0; b < n; b++) {
            for (int hh = 0; hh < h; hh++) {
                double slope = Math.pow(2, -8.0 * (hh + 1) / h);
                for (int i = 0; i < l; i++) {
                    for (int j = 0; j < s; j++) {
                        int k = ((b * h + hh) * l + i) * s + j;
                        assertEquals(sc[k] - slope * Math.abs(offset + i - j) + ms[j], ys[k], 1e-9, "offset 2 at " + k);
                        assertEquals(sc[k] - slope * Math.abs(i - j), y0[k], 1e-12, "offset 0 at " + k);
                    }
                }
            }
        }
        double[] slopes = ALiBi.createAlibiSlope(8).toDoubleArray();
        assertEquals(Shape.of(8, 1, 1), ALiBi.createAlibiSlope(8).shape());
        for (int i = 0; i < 8; i++) assertEquals(Math.pow(0.5, i + 1), slopes[i], 0);
        Array m = ALiBi.createAlibiMatrix(5, 4, 2, 3, DType.FLOAT32);
        assertEquals(Shape.of(1, 2, 2, 4), m.shape());
        assertEquals(-3.0 / 16, m.toDoubleArray()[0], 0);    // head 1 (slope 2^-4), query 3, key 0
        assertEquals(-3.0 / 256, m.toDoubleArray()[8], 0);   // head 2 (slope 2^-8), query 3, key 0
        assertEquals(-1.0 / 256, m.toDoubleArray()[15], 0);  // head 2, query 4, key 3
    }

    @Test void badInputs() {
        assertMessage("[RoPE] dims must be positive and even, got 5", () -> new RoPE(5));
        assertMessage("[RoPE] base must be positive", () -> new RoPE(4, false, 0, 1));
        assertMessage("[RoPE] expected input (..., L, D) with D >= 8, got shape (2, 3, 6)", () -> new RoPE(8).forward(MX.zeros(2, 3, 6)));
        assertMessage("[RoPE] expected input (..., L, D)", () -> new RoPE(4).forward(MX.zeros(4)));
        assertMessage("[RoPE] expected a floating input, got int32", () -> new RoPE(4).forward(MX.zeros(new int[] {2, 4}, DType.INT32)));
        assertMessage("[SinusoidalPositionalEncoding] dims must be even and at least 4, got 2", () -> new SinusoidalPositionalEncoding(2));
        assertMessage("[SinusoidalPositionalEncoding] dims must be even", () -> new SinusoidalPositionalEncoding(7));
        assertMessage("[SinusoidalPositionalEncoding] frequencies must be positive", () -> new SinusoidalPositionalEncoding(8, 0, 1, null, false, false));
        assertMessage("[ALiBi] expected attention scores (N, numHeads, L, S), got shape (2, 3, 4)", () -> new ALiBi().forward(MX.zeros(2, 3, 4)));
        assertMessage("[ALiBi] offset must be non-negative", () -> new ALiBi().forward(MX.zeros(1, 2, 3, 4), -1, null));
        assertMessage("[ALiBi] numHeads must be positive", () -> ALiBi.createAlibiSlope(0));
        assertMessage("[ALiBi] need 0 <= offset <= qSequenceLength", () -> ALiBi.createAlibiMatrix(2, 3, 1, 3, DType.FLOAT32));
    }
}
