package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlx4j.nn.ConvLayersTest.offset;
import static org.mlx4j.nn.ConvLayersTest.prod;
import static org.mlx4j.nn.ConvLayersTest.randn;
import static org.mlx4j.nn.ConvLayersTest.rejects;
import static org.mlx4j.nn.ConvLayersTest.unravel;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class PoolingTest {
    /**
     * Pooling in double: windows start at o * stride - padding; positions outside the input are
     * skipped by max (padding with -inf) and count as zeros for the average, which divides by the
     * full window.
     */
    static double[] poolRef(double[] x, int[] xs, int[] k, int[] stride, int[] pad, boolean max, int[] outShape) {
        int d = xs.length - 2, c = xs[d + 1];
        int[] o = new int[d];
        outShape[0] = xs[0];
        outShape[d + 1] = c;
        for (int i = 0; i < d; i++) {
            o[i] = (xs[i + 1] + 2 * pad[i] - k[i]) / stride[i] + 1;
            outShape[i + 1] = o[i];
        }
        double[] y = new double[prod(outShape)];
        for (int b = 0; b < xs[0]; b++) {
            for (int of = 0; of < prod(o); of++) {
                int[] oi = unravel(of, o);
                for (int ch = 0; ch < c; ch++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int kf = 0; kf < prod(k); kf++) {
                        int[] ki = unravel(kf, k);
                        int[] xi = new int[d + 2];
                        xi[0] = b;
                        xi[d + 1] = ch;
                        boolean inside = true;
                        for (int i = 0; i < d; i++) {
                            xi[i + 1] = oi[i] * stride[i] - pad[i] + ki[i];
                            inside &= xi[i + 1] >= 0 && xi[i + 1] < xs[i + 1];
                        }
                        if (!inside) continue;
                        double v = x[offset(xs, xi)];
                        acc = max ? Math.max(acc, v) : acc + v;
                    }
                    int[] yi = new int[d + 2];
                    yi[0] = b;
                    System.arraycopy(oi, 0, yi, 1, d);
                    yi[d + 1] = ch;
                    y[offset(outShape, yi)] = max ? acc : acc / prod(k);
                }
            }
        }
        return y;
    }

    static boolean isMax(PoolBase p) { return p.getClass().getSimpleName().startsWith("Max"); }

    /** Float64 values and shape against the loop reference. */
    static void check(PoolBase p, int... xShape) {
        Array x = randn(11, xShape);
        Array y = p.forward(x);
        int[] outShape = new int[xShape.length];
        double[] ref = poolRef(x.toDoubleArray(), xShape, p.kernelSize(), p.stride(), p.padding(), isMax(p), outShape);
        assertArrayEquals(outShape, y.shape().toArray(), "shape of " + p);
        assertEquals(DType.FLOAT64, y.dtype());
        assertArrayEquals(ref, y.toDoubleArray(), 1e-12, p.toString());
    }

    // ------------------------------------------------------------------ shapes

    @Test void shapesMatchHandComputed() {
        assertArrayEquals(new int[] {128, 14, 14, 32}, new MaxPool2d(2).forward(MX.zeros(128, 28, 28, 32)).shape().toArray());
        assertArrayEquals(new int[] {1, 3, 2, 1}, new MaxPool2d(2).forward(MX.zeros(1, 7, 5, 1)).shape().toArray());   // floor: 7/2, 5/2
        assertArrayEquals(new int[] {2, 4, 3}, new AvgPool1d(3, 2, 1).forward(MX.zeros(2, 7, 3)).shape().toArray());   // (7 + 2 - 3) / 2 + 1
        // (6 - 2) / 1 + 1, (6 + 2 - 3) / 2 + 1, (6 + 2 - 2) / 3 + 1
        assertArrayEquals(new int[] {1, 5, 3, 3, 1},
                new MaxPool3d(new int[] {2, 3, 2}, new int[] {1, 2, 3}, new int[] {0, 1, 1}).forward(MX.zeros(1, 6, 6, 6, 1)).shape().toArray());
        assertArrayEquals(new int[] {2, 3}, new MaxPool2d(new int[] {2, 3}, null, new int[] {0, 0}).stride());
        assertTrue(new AvgPool2d(2).parameters().isEmpty());
        assertEquals("AvgPool2d(kernelSize=(3, 3), stride=(2, 2), padding=(1, 1))", new AvgPool2d(3, 2, 1).toString());
    }

    // ------------------------------------------------------------------ values

    @Test void pool1dMatchesLoops() {
        for (boolean max : new boolean[] {true, false}) {
            check(max ? new MaxPool1d(2) : new AvgPool1d(2), 2, 8, 3);          // tiles
            check(max ? new MaxPool1d(2) : new AvgPool1d(2), 1, 7, 2);          // tiles with a remainder
            check(max ? new MaxPool1d(3, 2, 1) : new AvgPool1d(3, 2, 1), 2, 9, 3);
            check(max ? new MaxPool1d(3, 1) : new AvgPool1d(3, 1), 2, 7, 2);
            check(max ? new MaxPool1d(2, 2, 1) : new AvgPool1d(2, 2, 1), 1, 6, 2);   // padded, tiled
        }
    }

    @Test void pool2dMatchesLoops() {
        for (boolean max : new boolean[] {true, false}) {
            check(max ? new MaxPool2d(2) : new AvgPool2d(2), 2, 6, 6, 3);
            check(max ? new MaxPool2d(2) : new AvgPool2d(2), 1, 7, 5, 2);
            check(max ? new MaxPool2d(3, 2, 1) : new AvgPool2d(3, 2, 1), 2, 7, 6, 2);
            int[] k = {3, 2}, s = {1, 2}, p = {1, 0};
            check(max ? new MaxPool2d(k, s, p) : new AvgPool2d(k, s, p), 1, 5, 7, 2);
            int[] k2 = {2, 3}, p2 = {1, 1};
            check(max ? new MaxPool2d(k2, null, p2) : new AvgPool2d(k2, null, p2), 1, 5, 7, 2);
        }
    }

    @Test void pool3dMatchesLoops() {
        for (boolean max : new boolean[] {true, false}) {
            check(max ? new MaxPool3d(2) : new AvgPool3d(2), 1, 4, 4, 5, 2);
            int[] k = {2, 3, 2}, s = {1, 2, 2}, p = {1, 1, 0};
            check(max ? new MaxPool3d(k, s, p) : new AvgPool3d(k, s, p), 2, 4, 5, 4, 2);
        }
    }

    @Test void cnnHotPathMatchesLoops() {
        // the CNN's 2x2 pooling of (B, 28, 28, 32) (B = 128 there), against plain loops over the four window elements
        Array x = MX.normal(new int[] {32, 28, 28, 32}, MX.key(4));
        double[] xd = x.toDoubleArray();
        for (boolean max : new boolean[] {true, false}) {
            Array y = (max ? new MaxPool2d(2) : new AvgPool2d(2)).forward(x);
            assertArrayEquals(new int[] {32, 14, 14, 32}, y.shape().toArray());
            assertEquals(DType.FLOAT32, y.dtype());
            double[] got = y.toDoubleArray();
            for (int n = 0, o = 0; n < 32; n++) {
                for (int i = 0; i < 14; i++) {
                    for (int j = 0; j < 14; j++) {
                        for (int c = 0; c < 32; c++, o++) {
                            int at = ((n * 28 + 2 * i) * 28 + 2 * j) * 32 + c;
                            double a = xd[at], b = xd[at + 32], d = xd[at + 28 * 32], e = xd[at + 29 * 32];
                            double ref = max ? Math.max(Math.max(a, b), Math.max(d, e)) : (a + b + d + e) / 4;
                            if (Math.abs(ref - got[o]) > 1e-6) assertEquals(ref, got[o], 1e-6, "output " + o);
                        }
                    }
                }
            }
        }
    }

    @Test void integerInputs() {
        int[] v = {5, -3, 7, 1, -8, 2, 0, 4, 9};
        Array x = MX.array(v, 1, 3, 3, 1);
        Array mx = new MaxPool2d(3, 1, 1).forward(x);
        assertEquals(DType.INT32, mx.dtype());
        double[] xd = new double[9];
        for (int i = 0; i < 9; i++) xd[i] = v[i];
        int[] outShape = new int[4];
        double[] ref = poolRef(xd, new int[] {1, 3, 3, 1}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, true, outShape);
        assertArrayEquals(ref, mx.toDoubleArray(), 0.0);   // the smallest int32 pads, and never wins, as -inf for floats
        Array avg = new AvgPool2d(2, 1).forward(x);
        assertEquals(DType.FLOAT32, avg.dtype());
        ref = poolRef(xd, new int[] {1, 3, 3, 1}, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, false, outShape);
        assertArrayEquals(ref, avg.toDoubleArray(), 1e-6);
    }

    // ------------------------------------------------------------------ gradients

    /** The gradient of sum(pool(x) * c) against central differences of the layer itself, in float64. */
    static void checkGradient(PoolBase p, int... xShape) {
        Array x = randn(21, xShape);
        Array y0 = p.forward(x);
        Array c = randn(22, y0.shape().toArray());
        java.util.function.Function<Array, Array> f = a -> MX.sum(MX.multiply(p.forward(a), c));
        double[] g = MX.grad(f).apply(x).toDoubleArray();
        double[] xd = x.toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < xd.length; i++) {
            double[] plus = xd.clone(), minus = xd.clone();
            plus[i] += h;
            minus[i] -= h;
            double num = (f.apply(MX.array(plus, DType.FLOAT64, xShape)).item() - f.apply(MX.array(minus, DType.FLOAT64, xShape)).item()) / (2 * h);
            assertEquals(num, g[i], 1e-6, "d/dx[" + i + "] of " + p);
        }
    }

    @Test void gradientsMatchCentralDifferences() {
        for (PoolBase p : List.<PoolBase>of(new MaxPool2d(2), new AvgPool2d(2), new MaxPool2d(3, 2, 1), new AvgPool2d(3, 2, 1),
                new MaxPool2d(2, 1))) {
            checkGradient(p, 1, 5, 5, 2);
        }
        checkGradient(new MaxPool1d(3, 2, 1), 2, 6, 2);
        checkGradient(new AvgPool3d(2), 1, 3, 4, 2, 1);
    }

    // ------------------------------------------------------------------ errors

    @Test void badInputIsRejectedWithTheLayerName() {
        rejects(() -> new MaxPool2d(2).forward(MX.zeros(5, 5, 3)), "[MaxPool2d] expected input (N, H, W, C), got shape (5, 5, 3).");
        rejects(() -> new AvgPool1d(5).forward(MX.zeros(1, 3, 2)), "[AvgPool1d] the kernel (5,) is larger than the padded input", "(1, 3, 2)");
        rejects(() -> new MaxPool3d(2).forward(MX.zeros(1, 4, 4, 2)), "[MaxPool3d] expected input (N, D, H, W, C)");
        rejects(() -> new MaxPool2d(0), "[MaxPool2d] kernelSize must be positive");
        rejects(() -> new AvgPool2d(2, 2, -1), "[AvgPool2d] padding must be non-negative");
        rejects(() -> new AvgPool2d(new int[] {2, 2}, new int[] {1}, new int[] {0, 0}), "[AvgPool2d] stride needs 2 entries", "(1,)");
    }
}
