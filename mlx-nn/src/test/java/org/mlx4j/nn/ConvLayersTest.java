package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class ConvLayersTest {
    // ------------------------------------------------------------------ float64 loop references

    /** Row-major offset of a multi-index. */
    static int offset(int[] shape, int... idx) {
        int o = 0;
        for (int i = 0; i < shape.length; i++) o = o * shape[i] + idx[i];
        return o;
    }

    /** The multi-index of a row-major offset. */
    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static int prod(int[] v) {
        int p = 1;
        for (int x : v) p *= x;
        return p;
    }

    /** Direct cross-correlation: x (N, S..., Cin), w (Cout, K..., Cin/groups) -> (N, O..., Cout). */
    static double[] convRef(double[] x, int[] xs, double[] w, int[] ws, int[] stride, int[] pad, int[] dil, int groups, int[] outShape) {
        int d = xs.length - 2, n = xs[0], cin = xs[d + 1], cout = ws[0], cinG = cin / groups, coutG = cout / groups;
        int[] o = new int[d], k = new int[d];
        for (int i = 0; i < d; i++) {
            k[i] = ws[i + 1];
            o[i] = (xs[i + 1] + 2 * pad[i] - dil[i] * (k[i] - 1) - 1) / stride[i] + 1;
        }
        outShape[0] = n;
        System.arraycopy(o, 0, outShape, 1, d);
        outShape[d + 1] = cout;
        double[] y = new double[prod(outShape)];
        for (int b = 0; b < n; b++) {
            for (int of = 0; of < prod(o); of++) {
                int[] oi = unravel(of, o);
                for (int co = 0; co < cout; co++) {
                    int g = co / coutG;
                    double s = 0;
                    for (int kf = 0; kf < prod(k); kf++) {
                        int[] ki = unravel(kf, k);
                        int[] xi = new int[d + 2];
                        xi[0] = b;
                        boolean inside = true;
                        for (int i = 0; i < d; i++) {
                            xi[i + 1] = oi[i] * stride[i] - pad[i] + ki[i] * dil[i];
                            inside &= xi[i + 1] >= 0 && xi[i + 1] < xs[i + 1];
                        }
                        if (!inside) continue;
                        int[] wi = new int[d + 2];
                        wi[0] = co;
                        System.arraycopy(ki, 0, wi, 1, d);
                        for (int ci = 0; ci < cinG; ci++) {
                            xi[d + 1] = g * cinG + ci;
                            wi[d + 1] = ci;
                            s += x[offset(xs, xi)] * w[offset(ws, wi)];
                        }
                    }
                    int[] yi = new int[d + 2];
                    yi[0] = b;
                    System.arraycopy(oi, 0, yi, 1, d);
                    yi[d + 1] = co;
                    y[offset(outShape, yi)] = s;
                }
            }
        }
        return y;
    }

    /**
     * Transposed convolution as a scatter: every input element adds x * w[co, k, ci] at output
     * position i * stride + k * dilation - padding. x (N, S..., Cin), w (Cout, K..., Cin).
     */
    static double[] convTransposeRef(double[] x, int[] xs, double[] w, int[] ws, int[] stride, int[] pad, int[] dil, int[] outPad,
                                     int[] outShape) {
        int d = xs.length - 2, n = xs[0], cin = xs[d + 1], cout = ws[0];
        int[] s = new int[d], k = new int[d];
        outShape[0] = n;
        outShape[d + 1] = cout;
        for (int i = 0; i < d; i++) {
            s[i] = xs[i + 1];
            k[i] = ws[i + 1];
            outShape[i + 1] = (s[i] - 1) * stride[i] - 2 * pad[i] + dil[i] * (k[i] - 1) + 1 + outPad[i];
        }
        double[] y = new double[prod(outShape)];
        for (int b = 0; b < n; b++) {
            for (int sf = 0; sf < prod(s); sf++) {
                int[] si = unravel(sf, s);
                for (int kf = 0; kf < prod(k); kf++) {
                    int[] ki = unravel(kf, k);
                    int[] yi = new int[d + 2];
                    yi[0] = b;
                    boolean inside = true;
                    for (int i = 0; i < d; i++) {
                        yi[i + 1] = si[i] * stride[i] + ki[i] * dil[i] - pad[i];
                        inside &= yi[i + 1] >= 0 && yi[i + 1] < outShape[i + 1];
                    }
                    if (!inside) continue;
                    for (int co = 0; co < cout; co++) {
                        for (int ci = 0; ci < cin; ci++) {
                            int[] xi = new int[d + 2];
                            xi[0] = b;
                            System.arraycopy(si, 0, xi, 1, d);
                            xi[d + 1] = ci;
                            int[] wi = new int[d + 2];
                            wi[0] = co;
                            System.arraycopy(ki, 0, wi, 1, d);
                            wi[d + 1] = ci;
                            yi[d + 1] = co;
                            y[offset(outShape, yi)] += x[offset(xs, xi)] * w[offset(ws, wi)];
                        }
                    }
                }
            }
        }
        return y;
    }

    static Array randn(long seed, int... shape) { return MX.normal(shape, DType.FLOAT64, MX.key(seed)); }

    /** Runs the layer in float64 (with a random bias) on a random input and compares with the loop reference plus bias. */
    static void checkConv(ConvBase conv, boolean transpose, int... xShape) {
        conv.setDtype(DType.FLOAT64);
        Array b = randn(99, conv.outChannels());
        if (conv.bias() != null) conv.update(java.util.Map.of("bias", b));
        Array x = randn(5, xShape);
        Array y = conv.forward(x);
        int[] outShape = new int[xShape.length];
        int[] ws = conv.weight().shape().toArray();
        double[] ref = transpose
                ? convTransposeRef(x.toDoubleArray(), xShape, conv.weight().toDoubleArray(), ws, conv.stride(), conv.padding(), conv.dilation(),
                        outputPadding(conv), outShape)
                : convRef(x.toDoubleArray(), xShape, conv.weight().toDoubleArray(), ws, conv.stride(), conv.padding(), conv.dilation(),
                        conv.groups(), outShape);
        assertArrayEquals(outShape, y.shape().toArray(), "output shape of " + conv);
        assertEquals(DType.FLOAT64, y.dtype());
        double[] bias = conv.bias() == null ? new double[conv.outChannels()] : b.toDoubleArray();
        double[] got = y.toDoubleArray();
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i] + bias[i % conv.outChannels()], got[i], 1e-12, "element " + i + " of " + conv);
    }

    static int[] outputPadding(ConvBase c) {
        if (c instanceof ConvTranspose1d t) return t.outputPadding();
        if (c instanceof ConvTranspose2d t) return t.outputPadding();
        return ((ConvTranspose3d) c).outputPadding();
    }

    // ------------------------------------------------------------------ shapes and initialization

    @Test void shapesMatchHandComputed() {
        // (L + 2p - d(k-1) - 1) / s + 1
        assertArrayEquals(new int[] {2, 8, 6}, new Conv1d(3, 6, 3).forward(MX.zeros(2, 10, 3)).shape().toArray());
        assertArrayEquals(new int[] {2, 5, 6}, new Conv1d(3, 6, 3, 2, 1).forward(MX.zeros(2, 10, 3)).shape().toArray());
        assertArrayEquals(new int[] {4, 26, 26, 32}, new Conv2d(1, 32, 3).forward(MX.zeros(4, 28, 28, 1)).shape().toArray());
        assertArrayEquals(new int[] {1, 4, 3, 4},
                new Conv2d(2, 4, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 0}, new int[] {1, 2}, 2, true)
                        .forward(MX.zeros(1, 8, 9, 2)).shape().toArray());   // H: (8+2-3)/2+1 = 4, W: (9-2-1)/3+1 = 3
        assertArrayEquals(new int[] {2, 4, 4, 4, 5}, new Conv3d(3, 5, 3, 1, 1).forward(MX.zeros(2, 4, 4, 4, 3)).shape().toArray());
        // (S - 1) * s - 2p + d(k-1) + 1 + outputPadding
        assertArrayEquals(new int[] {2, 100, 16}, new ConvTranspose1d(32, 16, 4, 2, 1).forward(MX.zeros(2, 50, 32)).shape().toArray());
        assertArrayEquals(new int[] {1, 14, 14, 3}, new ConvTranspose2d(8, 3, 2, 2, 0).forward(MX.zeros(1, 7, 7, 8)).shape().toArray());
        assertArrayEquals(new int[] {1, 15, 14, 3},
                new ConvTranspose2d(8, 3, new int[] {3, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, new int[] {0, 0}, true)
                        .forward(MX.zeros(1, 7, 7, 8)).shape().toArray());
        assertArrayEquals(new int[] {1, 8, 8, 8, 2}, new ConvTranspose3d(4, 2, 3, 2, 1, 1, 1, false).forward(MX.zeros(1, 4, 4, 4, 4)).shape().toArray());   // 3*2 - 2 + 2 + 1 + 1
    }

    @Test void parametersFollowMlx() {
        MX.seed(3);
        Conv2d c = new Conv2d(6, 8, new int[] {3, 5}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true);
        LayerChecks.assertKeys(c, "weight", "bias");
        assertArrayEquals(new int[] {8, 3, 5, 3}, c.weight().shape().toArray());
        assertArrayEquals(new double[8], c.bias().toDoubleArray(), 0.0);
        checkUniform(c.weight(), Math.sqrt(1.0 / (6 * 3 * 5)));
        Conv1d c1 = new Conv1d(4, 2, 5, 1, 0, 1, 1, false);
        LayerChecks.assertKeys(c1, "weight");
        assertNull(c1.bias());
        checkUniform(new Conv1d(10, 30, 7).weight(), Math.sqrt(1.0 / 70));
        checkUniform(new Conv3d(3, 20, 3).weight(), Math.sqrt(1.0 / 81));
        ConvTranspose2d t = new ConvTranspose2d(6, 20, 3);
        assertArrayEquals(new int[] {20, 3, 3, 6}, t.weight().shape().toArray());
        checkUniform(t.weight(), Math.sqrt(1.0 / 54));
        assertArrayEquals(new int[] {4, 2, 3}, new ConvTranspose1d(3, 4, 2).weight().shape().toArray());
        assertArrayEquals(new int[] {4, 2, 2, 2, 3}, new ConvTranspose3d(3, 4, 2).weight().shape().toArray());
        assertTrue(c.toString().contains("kernelSize=(3, 5)") && c.toString().contains("groups=2"), c.toString());
    }

    /** All values in [-s, s] and spread over the range (not all near zero). */
    static void checkUniform(Array w, double s) {
        double max = 0;
        for (double v : w.toDoubleArray()) {
            assertTrue(Math.abs(v) <= s, v + " outside +-" + s);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.8 * s, "max |w| " + max + " for bound " + s);
    }

    // ------------------------------------------------------------------ values

    @Test void conv1dMatchesLoops() {
        checkConv(new Conv1d(3, 4, 3), false, 2, 9, 3);
        checkConv(new Conv1d(3, 4, 3, 2, 1), false, 2, 9, 3);
        checkConv(new Conv1d(4, 6, 3, 3, 2, 2, 2, true), false, 2, 11, 4);
        checkConv(new Conv1d(4, 4, 2, 1, 1, 1, 4, false), false, 1, 6, 4);   // depthwise
    }

    @Test void conv2dMatchesLoops() {
        checkConv(new Conv2d(2, 3, 3), false, 2, 6, 5, 2);
        checkConv(new Conv2d(2, 3, 3, 2, 1), false, 2, 7, 6, 2);
        checkConv(new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 1}, 2, true), false, 2, 8, 5, 4);
        checkConv(new Conv2d(3, 3, 3, 1, 1, 1, 3, false), false, 1, 5, 5, 3);
    }

    @Test void conv3dMatchesLoops() {
        checkConv(new Conv3d(2, 3, 2), false, 1, 4, 3, 4, 2);
        checkConv(new Conv3d(2, 4, new int[] {3, 2, 2}, new int[] {2, 1, 2}, new int[] {1, 0, 1}, new int[] {1, 2, 1}, 2, true), false,
                2, 5, 5, 4, 2);
    }

    @Test void transposedConvolutionsMatchScatterLoops() {
        checkConv(new ConvTranspose1d(3, 2, 3), true, 2, 5, 3);
        checkConv(new ConvTranspose1d(3, 2, 4, 2, 1), true, 2, 5, 3);
        checkConv(new ConvTranspose1d(2, 3, 3, 3, 1, 2, 1, true), true, 1, 4, 2);
        checkConv(new ConvTranspose2d(3, 2, 3), true, 1, 4, 3, 3);
        checkConv(new ConvTranspose2d(2, 3, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 0}, new int[] {1, 2}, new int[] {1, 2}, true), true,
                2, 4, 3, 2);
        checkConv(new ConvTranspose3d(2, 2, 2, 2, 0), true, 1, 2, 3, 2, 2);
        checkConv(new ConvTranspose3d(2, 3, new int[] {3, 2, 2}, new int[] {1, 2, 2}, new int[] {1, 0, 1}, new int[] {1, 1, 2},
                new int[] {0, 1, 1}, false), true, 1, 3, 3, 3, 2);
    }

    // ------------------------------------------------------------------ layer contract

    @Test void layerContract() {
        Array x1 = MX.normal(new int[] {2, 7, 3}, MX.key(1));
        LayerChecks.assertLayerContract(new Conv1d(3, 4, 3, 2, 1), () -> new Conv1d(3, 4, 3, 2, 1), m -> m.forward(x1));
        Array x2 = MX.normal(new int[] {2, 6, 5, 4}, MX.key(2));
        LayerChecks.assertLayerContract(new Conv2d(4, 6, 3, 1, 1, 1, 2, true), () -> new Conv2d(4, 6, 3, 1, 1, 1, 2, true), m -> m.forward(x2));
        Array x3 = MX.normal(new int[] {1, 4, 4, 4, 2}, MX.key(3));
        LayerChecks.assertLayerContract(new Conv3d(2, 3, 2), () -> new Conv3d(2, 3, 2), m -> m.forward(x3));
        LayerChecks.assertLayerContract(new ConvTranspose1d(3, 2, 3, 2, 0), () -> new ConvTranspose1d(3, 2, 3, 2, 0), m -> m.forward(x1));
        LayerChecks.assertLayerContract(new ConvTranspose2d(4, 2, 3, 2, 1), () -> new ConvTranspose2d(4, 2, 3, 2, 1), m -> m.forward(x2));
        LayerChecks.assertLayerContract(new ConvTranspose3d(2, 2, 2, 2, 0), () -> new ConvTranspose3d(2, 2, 2, 2, 0), m -> m.forward(x3));
    }

    // ------------------------------------------------------------------ errors

    static IllegalArgumentException rejects(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(parts[0]), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        return e;
    }

    @Test void badInputIsRejectedWithTheLayerName() {
        Conv2d c = new Conv2d(3, 8, 3);
        rejects(() -> c.forward(MX.zeros(2, 5, 5, 4)), "[Conv2d] expected input (N, H, W, 3), got shape (2, 5, 5, 4).");
        rejects(() -> c.forward(MX.zeros(5, 5, 3)), "[Conv2d] expected input (N, H, W, 3)", "(5, 5, 3)");
        rejects(() -> c.forward(MX.zeros(1, 2, 5, 3)), "[Conv2d] the kernel (3, 3)", "larger than the padded input", "(1, 2, 5, 3)");
        rejects(() -> c.forward(MX.zeros(new int[] {1, 5, 5, 3}, DType.INT32)), "[Conv2d]", "floating", "int32");
        rejects(() -> new Conv1d(4, 8, 3).forward(MX.zeros(1, 9, 3)), "[Conv1d] expected input (N, L, 4)");
        rejects(() -> new Conv3d(1, 1, 3, 1, 0, 2, 1, true).forward(MX.zeros(1, 4, 9, 9, 1)), "[Conv3d] the kernel (3, 3, 3) with dilation (2, 2, 2)");
        rejects(() -> new ConvTranspose2d(2, 2, 2).forward(MX.zeros(1, 4, 4, 3)), "[ConvTranspose2d] expected input (N, H, W, 2)");
        rejects(() -> new ConvTranspose1d(2, 2, 1, 1, 1).forward(MX.zeros(1, 1, 2)), "[ConvTranspose1d] the padding (1,) leaves no output");
        rejects(() -> new Conv2d(3, 8, 3, 1, 0, 1, 2, true), "[Conv2d] groups", "groups=2");
        rejects(() -> new Conv2d(0, 8, 3), "[Conv2d] channels must be positive");
        rejects(() -> new Conv2d(3, 8, new int[] {3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true), "[Conv2d] kernelSize", "(3,)");
        rejects(() -> new Conv1d(3, 8, 3, 0, 0), "[Conv1d] stride must be positive");
        rejects(() -> new ConvTranspose1d(3, 8, 3, 2, 0, 1, 2, true), "[ConvTranspose1d] outputPadding (2,) must be smaller");
    }
}
