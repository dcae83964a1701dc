package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlx4j.nn.ConvLayersTest.offset;
import static org.mlx4j.nn.ConvLayersTest.prod;
import static org.mlx4j.nn.ConvLayersTest.randn;
import static org.mlx4j.nn.ConvLayersTest.rejects;
import static org.mlx4j.nn.ConvLayersTest.unravel;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Upsample.Mode;

class UpsampleTest {
    /**
     * Upsampling in double. Nearest: output i reads input floor((i + 0.5) * S / M) when enlarging
     * and floor(i * S / M) otherwise (the sizes used here avoid ties). Linear: output i sits at
     * i * (S - 1) / (M - 1) with aligned corners, else at i / scale - ((M - 1) / scale - S + 1) / 2,
     * clipped to [0, S - 1], and the value is the sum over the 2^d surrounding corners with
     * product weights (MLX's formulation).
     */
    static double[] upsampleRef(double[] x, int[] xs, double[] scales, Mode mode, boolean align, int[] outShape) {
        int d = xs.length - 2;
        int[] sp = new int[d], os = new int[d];
        outShape[0] = xs[0];
        outShape[d + 1] = xs[d + 1];
        for (int i = 0; i < d; i++) {
            sp[i] = xs[i + 1];
            os[i] = (int) (scales[i] * sp[i]);
            outShape[i + 1] = os[i];
        }
        double[] y = new double[prod(outShape)];
        for (int f = 0; f < y.length; f++) {
            int[] yi = unravel(f, outShape);
            int[] lo = new int[d], hi = new int[d];
            double[] w = new double[d];
            for (int a = 0; a < d; a++) {
                int n = sp[a], m = os[a], i = yi[a + 1];
                if (mode == Mode.NEAREST) {
                    lo[a] = (int) Math.floor(m > n ? (i + 0.5) * n / m : (double) i * n / m);
                    hi[a] = lo[a];
                } else {
                    double pos = align ? (m > 1 ? (double) i * (n - 1) / (m - 1) : 0)
                            : i / scales[a] - ((m - 1) / scales[a] - n + 1) / 2;
                    pos = Math.min(Math.max(pos, 0), n - 1);
                    lo[a] = (int) Math.floor(pos);
                    hi[a] = (int) Math.ceil(pos);
                    w[a] = pos - lo[a];
                }
            }
            double v = 0;
            for (int corner = 0; corner < (1 << d); corner++) {
                int[] xi = yi.clone();
                double weight = 1;
                for (int a = 0; a < d; a++) {
                    boolean high = (corner >> a & 1) == 1;
                    xi[a + 1] = high ? hi[a] : lo[a];
                    weight *= mode == Mode.NEAREST ? (high ? 0 : 1) : high ? w[a] : 1 - w[a];
                }
                v += weight * x[offset(xs, xi)];
            }
            y[f] = v;
        }
        return y;
    }

    static void check(Upsample u, double[] scales, int... xShape) {
        Array x = randn(31, xShape);
        Array y = u.forward(x);
        int[] outShape = new int[xShape.length];
        double[] ref = upsampleRef(x.toDoubleArray(), xShape, scales, u.mode(), u.alignCorners(), outShape);
        assertArrayEquals(outShape, y.shape().toArray(), u.toString());
        assertEquals(DType.FLOAT64, y.dtype());
        assertArrayEquals(ref, y.toDoubleArray(), u.mode() == Mode.NEAREST ? 0.0 : 1e-6, u + " on " + x.shape());
    }

    static double[] all(int d, double s) {
        double[] r = new double[d];
        java.util.Arrays.fill(r, s);
        return r;
    }

    // ------------------------------------------------------------------ MLX's documented example

    @Test void mlxDocumentationExample() {
        Array x = MX.reshape(MX.arange(1, 5, 1), 1, 2, 2, 1);
        Array n = new Upsample(2).forward(x);
        assertEquals(DType.INT32, n.dtype());
        assertArrayEquals(new int[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, n.toIntArray());
        Array b = new Upsample(2, Mode.LINEAR, false).forward(x);
        assertEquals(DType.FLOAT32, b.dtype());
        assertArrayEquals(new double[] {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4}, b.toDoubleArray(), 1e-6);
        Array a = new Upsample(2, Mode.LINEAR, true).forward(x);
        double t = 1.0 / 3;
        assertArrayEquals(new double[] {1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t, 2 + t, 2 + 2 * t, 3, 3 + t, 3, 3 + t, 3 + 2 * t, 4},
                a.toDoubleArray(), 1e-6);
    }

    // ------------------------------------------------------------------ values and shapes

    @Test void nearestMatchesLoops() {
        check(new Upsample(2), all(1, 2), 2, 5, 3);
        check(new Upsample(3), all(2, 3), 1, 3, 2, 2);
        check(new Upsample(1.5), all(2, 1.5), 1, 3, 5, 2);          // 3 -> 4, 5 -> 7
        check(new Upsample(2.5), all(1, 2.5), 2, 5, 1);             // 5 -> 12
        check(new Upsample(0.75), all(1, 0.75), 1, 5, 2);           // 5 -> 3
        check(new Upsample(new double[] {2, 1.5}, Mode.NEAREST, false), new double[] {2, 1.5}, 1, 3, 3, 2);
        check(new Upsample(new double[] {2, 1, 1.5}, Mode.NEAREST, false), new double[] {2, 1, 1.5}, 1, 2, 3, 3, 2);
    }

    @Test void linearMatchesLoops() {
        for (boolean align : new boolean[] {false, true}) {
            check(new Upsample(2, Mode.LINEAR, align), all(1, 2), 2, 5, 3);
            check(new Upsample(1.5, Mode.LINEAR, align), all(2, 1.5), 1, 4, 3, 2);
            check(new Upsample(2.5, Mode.LINEAR, align), all(1, 2.5), 1, 5, 2);
            check(new Upsample(0.75, Mode.LINEAR, align), all(1, 0.75), 1, 5, 2);
            check(new Upsample(new double[] {1.7, 2}, Mode.LINEAR, align), new double[] {1.7, 2}, 2, 3, 4, 2);   // 3 -> 5: centred grid
            check(new Upsample(new double[] {2, 1.5, 3}, Mode.LINEAR, align), new double[] {2, 1.5, 3}, 1, 2, 3, 2, 2);
        }
    }

    @Test void shapesAndSettings() {
        assertArrayEquals(new int[] {2, 56, 56, 8}, new Upsample(2).forward(MX.zeros(2, 28, 28, 8)).shape().toArray());
        assertArrayEquals(new int[] {1, 4, 7, 3}, new Upsample(1.5, Mode.LINEAR, false).forward(MX.zeros(1, 3, 5, 3)).shape().toArray());
        assertArrayEquals(new int[] {1, 4, 10, 3}, new Upsample(2).forward(MX.zeros(1, 2, 5, 3)).shape().toArray());
        Upsample u = new Upsample(new double[] {2, 3}, Mode.LINEAR, true);
        assertArrayEquals(new double[] {2, 3}, u.scaleFactor(), 0.0);
        assertTrue(u.parameters().isEmpty());
        assertEquals("Upsample(scaleFactor=[2.0, 3.0], mode=LINEAR, alignCorners=true)", u.toString());
        assertEquals(DType.FLOAT32, new Upsample(2, Mode.LINEAR, false).forward(MX.zeros(new int[] {1, 2, 1}, DType.FLOAT16)).dtype());
    }

    // ------------------------------------------------------------------ gradients

    @Test void gradientsMatchCentralDifferences() {
        for (Upsample u : new Upsample[] {new Upsample(new double[] {1.5, 2}, Mode.LINEAR, false), new Upsample(new double[] {1.5, 2}, Mode.LINEAR, true),
                new Upsample(new double[] {1.5, 2}, Mode.NEAREST, false)}) {
            int[] xs = {1, 3, 3, 2};
            Array x = randn(41, xs);
            Array c = randn(42, u.forward(x).shape().toArray());
            Function<Array, Array> f = a -> MX.sum(MX.multiply(u.forward(a), c));
            double[] g = MX.grad(f).apply(x).toDoubleArray();
            double[] xd = x.toDoubleArray();
            for (int i = 0; i < xd.length; i++) {
                double[] p = xd.clone(), m = xd.clone();
                p[i] += 1e-6;
                m[i] -= 1e-6;
                double num = (f.apply(MX.array(p, DType.FLOAT64, xs)).item() - f.apply(MX.array(m, DType.FLOAT64, xs)).item()) / 2e-6;
                assertEquals(num, g[i], 1e-6, u + " d/dx[" + i + "]");
            }
        }
    }

    // ------------------------------------------------------------------ errors

    @Test void badInputIsRejected() {
        rejects(() -> new Upsample(2).forward(MX.zeros(4, 3)), "[Upsample] expected input (N, spatial..., C)", "(4, 3)");
        rejects(() -> new Upsample(new double[] {2, 2}, Mode.NEAREST, false).forward(MX.zeros(1, 4, 3)), "[Upsample] one scale per spatial axis",
                "(1, 4, 3)");
        rejects(() -> new Upsample(0.1).forward(MX.zeros(1, 3, 3, 1)), "[Upsample] scale 0.1 turns size 3");
        rejects(() -> new Upsample(0), "[Upsample] scaleFactor must be positive");
        rejects(() -> new Upsample(Double.NaN), "[Upsample] scaleFactor must be positive");
        rejects(() -> new Upsample(2, null, false), "[Upsample] mode is null");
    }
}
