package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class ConvTest {

    // ------------------------------------------------------------------ helpers

    private static double[] randn(long seed, int n) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextGaussian();
        return d;
    }

    private static int prod(int[] s) {
        int p = 1;
        for (int v : s) p *= v;
        return p;
    }

    private static Array rand64(long seed, int... shape) { return array(randn(seed, prod(shape)), shape); }

    private static int[] ones(int d) { return filled(d, 1); }

    private static Array ones(int[] shape, DType t) { return MX.ones(shape, t); }

    private static int[] filled(int d, int v) {
        int[] r = new int[d];
        java.util.Arrays.fill(r, v);
        return r;
    }

    /** Row-major index of {@code idx} in {@code dims}. */
    private static int ravel(int[] idx, int[] dims) {
        int f = 0;
        for (int i = 0; i < dims.length; i++) f = f * dims[i] + idx[i];
        return f;
    }

    private static int[] unravel(int f, int[] dims) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = f % dims[i];
            f /= dims[i];
        }
        return idx;
    }

    private record Ref(double[] data, int[] shape) {}

    /**
     * The definition, naively: build the dilated, padded input explicitly, then correlate it with the
     * (dilated, optionally flipped) kernel per group.
     */
    private static Ref ref(double[] x, int[] xs, double[] w, int[] ws, int[] s, int[] lo, int[] hi, int[] kd, int[] id, int groups,
                           boolean flip) {
        int d = xs.length - 2, n = xs[0], c = xs[d + 1], co = ws[0], cig = ws[d + 1], cog = co / groups;
        int[] pd = new int[d + 2];
        pd[0] = n;
        pd[d + 1] = c;
        int[] os = new int[d + 2];
        os[0] = n;
        os[d + 1] = co;
        for (int i = 0; i < d; i++) {
            pd[i + 1] = (xs[i + 1] - 1) * id[i] + 1 + lo[i] + hi[i];
            int kspan = (ws[i + 1] - 1) * kd[i] + 1;
            os[i + 1] = (pd[i + 1] - kspan) / s[i] + 1;
        }
        double[] xp = new double[prod(pd)];
        for (int f = 0; f < x.length; f++) {
            int[] idx = unravel(f, xs);
            for (int i = 0; i < d; i++) idx[i + 1] = idx[i + 1] * id[i] + lo[i];
            xp[ravel(idx, pd)] = x[f];
        }
        int[] kdims = java.util.Arrays.copyOfRange(ws, 1, d + 1);
        double[] out = new double[prod(os)];
        for (int f = 0; f < out.length; f++) {
            int[] oi = unravel(f, os);
            int oc = oi[d + 1], g = oc / cog;
            double acc = 0;
            for (int t = 0; t < prod(kdims); t++) {
                int[] j = unravel(t, kdims);
                int[] xi = new int[d + 2];
                xi[0] = oi[0];
                int[] wi = new int[d + 2];
                wi[0] = oc;
                for (int i = 0; i < d; i++) {
                    xi[i + 1] = oi[i + 1] * s[i] + j[i] * kd[i];
                    wi[i + 1] = flip ? kdims[i] - 1 - j[i] : j[i];
                }
                for (int ci = 0; ci < cig; ci++) {
                    xi[d + 1] = g * cig + ci;
                    wi[d + 1] = ci;
                    acc += xp[ravel(xi, pd)] * w[ravel(wi, ws)];
                }
            }
            out[f] = acc;
        }
        return new Ref(out, os);
    }

    /** Runs convGeneral in float64 and compares with the reference. */
    private static void checkGeneral(long seed, int[] xs, int[] ws, int[] s, int[] lo, int[] hi, int[] kd, int[] id, int groups, boolean flip) {
        double[] x = randn(seed, prod(xs)), w = randn(seed + 1, prod(ws));
        Ref r = ref(x, xs, w, ws, s, lo, hi, kd, id, groups, flip);
        Array y = convGeneral(array(x, xs), array(w, ws), s, lo, hi, kd, id, groups, flip);
        assertArrayEquals(r.shape(), y.shape().dims());
        assertArrayEquals(r.data(), y.toDoubleArray(), 1e-10);
        // float32 through the sgemm path agrees
        Array y32 = convGeneral(array(x, xs).astype(DType.FLOAT32), array(w, ws).astype(DType.FLOAT32), s, lo, hi, kd, id, groups, flip);
        assertEquals(DType.FLOAT32, y32.dtype());
        assertArrayEquals(r.data(), y32.toDoubleArray(), 1e-4 * Math.sqrt(prod(ws) / ws[0] + 1));
    }

    // ------------------------------------------------------------------ forward values

    @Test
    void conv1dHandCase() {
        Array x = array(new float[] {1, 2, 3, 4, 5}, 1, 5, 1);
        Array w = array(new float[] {1, 0, -1}, 1, 3, 1);
        assertArrayEquals(new float[] {-2, -2, -2}, conv1d(x, w).toFloatArray());
        Array y = conv1d(x, w, 2, 1);
        assertEquals(Shape.of(1, 3, 1), y.shape());
        assertArrayEquals(new float[] {-2, -2, 4}, y.toFloatArray());
        // two input channels, two output channels
        Array x2 = array(new float[] {1, 10, 2, 20, 3, 30}, 1, 3, 2);
        Array w2 = array(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, 2, 2, 2);
        assertArrayEquals(new float[] {3, 30, 5, 50}, conv1d(x2, w2).toFloatArray());
    }

    @Test
    void conv1dMatchesReference() {
        int[][] cfg = { // N, L, C, Co, K, stride, pad, dil, groups
            {2, 9, 3, 4, 3, 1, 0, 1, 1}, {1, 10, 4, 6, 3, 2, 1, 1, 2}, {3, 11, 2, 2, 2, 3, 2, 2, 1},
            {2, 7, 4, 8, 3, 1, 1, 2, 4}, {1, 5, 3, 2, 1, 1, 0, 1, 1}, {2, 6, 6, 3, 2, 2, 4, 1, 3}};
        for (int[] c : cfg) {
            double[] x = randn(c[0] * 31L + c[1], c[0] * c[1] * c[2]), w = randn(c[3] * 7L, c[3] * c[4] * c[2] / c[8]);
            int[] xs = {c[0], c[1], c[2]}, ws = {c[3], c[4], c[2] / c[8]};
            Ref r = ref(x, xs, w, ws, new int[] {c[5]}, new int[] {c[6]}, new int[] {c[6]}, new int[] {c[7]}, ones(1), c[8], false);
            Array y = conv1d(array(x, xs), array(w, ws), c[5], c[6], c[7], c[8]);
            assertArrayEquals(r.shape(), y.shape().dims(), java.util.Arrays.toString(c));
            assertArrayEquals(r.data(), y.toDoubleArray(), 1e-10, java.util.Arrays.toString(c));
        }
    }

    @Test
    void conv2dMatchesReference() {
        // plain, strided, padded, dilated, grouped, depthwise (groups = C_in, channel multiplier 2), 1x1
        int[][] cfg = { // N, H, W, C, Co, kH, kW, sH, sW, pH, pW, dH, dW, groups
            {2, 6, 5, 3, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1}, {1, 7, 8, 2, 3, 3, 2, 2, 3, 1, 2, 1, 1, 1},
            {2, 9, 9, 4, 4, 3, 3, 1, 2, 2, 1, 2, 3, 2}, {1, 6, 6, 4, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4},
            {3, 5, 4, 6, 4, 1, 1, 1, 1, 0, 0, 1, 1, 1}, {2, 5, 4, 6, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2},
            {1, 5, 5, 2, 3, 2, 2, 2, 2, 3, 3, 1, 1, 1}};
        for (int[] c : cfg) {
            int g = c[13];
            int[] xs = {c[0], c[1], c[2], c[3]}, ws = {c[4], c[5], c[6], c[3] / g};
            double[] x = randn(c[1] * 13L + c[4], prod(xs)), w = randn(c[5] * 17L + g, prod(ws));
            int[] s = {c[7], c[8]}, p = {c[9], c[10]}, dl = {c[11], c[12]};
            Ref r = ref(x, xs, w, ws, s, p, p, dl, ones(2), g, false);
            Array y = conv2d(array(x, xs), array(w, ws), s, p, dl, g);
            assertArrayEquals(r.shape(), y.shape().dims(), java.util.Arrays.toString(c));
            assertArrayEquals(r.data(), y.toDoubleArray(), 1e-10, java.util.Arrays.toString(c));
            Array y32 = conv2d(array(x, xs).astype(DType.FLOAT32), array(w, ws).astype(DType.FLOAT32), s, p, dl, g);
            assertArrayEquals(r.data(), y32.toDoubleArray(), 1e-4, java.util.Arrays.toString(c));
        }
    }

    @Test
    void conv2dIntOverloads() {
        Array x = rand64(3, 2, 6, 6, 3), w = rand64(4, 5, 3, 3, 3);
        assertArrayEquals(conv2d(x, w, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1).toDoubleArray(),
                conv2d(x, w, 2, 1).toDoubleArray(), 0);
        assertEquals(Shape.of(2, 4, 4, 5), conv2d(x, w).shape());
        assertEquals(Shape.of(2, 2, 2, 5), conv2d(x, w, 1, 0, 2, 1).shape());
    }

    @Test
    void conv3dMatchesReference() {
        int[][] cfg = { // N, D, H, W, C, Co, k, stride, pad, dil, groups
            {1, 4, 5, 4, 2, 3, 2, 1, 0, 1, 1}, {2, 5, 4, 6, 4, 4, 3, 2, 1, 1, 2}, {1, 6, 6, 5, 3, 2, 2, 1, 1, 2, 1}};
        for (int[] c : cfg) {
            int g = c[10];
            int[] xs = {c[0], c[1], c[2], c[3], c[4]}, ws = {c[5], c[6], c[6], c[6], c[4] / g};
            double[] x = randn(c[1] * 5L, prod(xs)), w = randn(c[5] * 3L, prod(ws));
            int[] s = filled(3, c[7]), p = filled(3, c[8]), dl = filled(3, c[9]);
            Ref r = ref(x, xs, w, ws, s, p, p, dl, ones(3), g, false);
            Array y = conv3d(array(x, xs), array(w, ws), c[7], c[8], c[9], g);
            assertArrayEquals(r.shape(), y.shape().dims());
            assertArrayEquals(r.data(), y.toDoubleArray(), 1e-10);
        }
        // anisotropic parameters
        int[] xs = {1, 5, 6, 7, 2}, ws = {3, 2, 3, 2, 2};
        double[] x = randn(1, prod(xs)), w = randn(2, prod(ws));
        int[] s = {1, 2, 3}, p = {0, 1, 2}, dl = {2, 1, 1};
        Ref r = ref(x, xs, w, ws, s, p, p, dl, ones(3), 1, false);
        assertArrayEquals(r.data(), conv3d(array(x, xs), array(w, ws), s, p, dl, 1).toDoubleArray(), 1e-10);
    }

    @Test
    void convGeneralAsymmetricPaddingInputDilationFlip() {
        checkGeneral(1, new int[] {2, 7, 3}, new int[] {4, 3, 3}, new int[] {1}, new int[] {0}, new int[] {2}, ones(1), ones(1), 1, false);
        checkGeneral(2, new int[] {1, 6, 5, 2}, new int[] {3, 3, 2, 2}, new int[] {2, 1}, new int[] {2, 0}, new int[] {1, 3},
                new int[] {1, 2}, new int[] {2, 3}, 1, false);
        checkGeneral(3, new int[] {2, 5, 6, 4}, new int[] {4, 2, 3, 2}, new int[] {1, 2}, new int[] {1, 2}, new int[] {0, 1},
                new int[] {2, 1}, new int[] {1, 2}, 2, true);
        checkGeneral(4, new int[] {1, 4, 3, 3, 3}, new int[] {2, 2, 2, 3, 3}, new int[] {1, 1, 2}, new int[] {1, 0, 2},
                new int[] {0, 2, 1}, new int[] {1, 2, 1}, new int[] {2, 1, 1}, 1, true);
        // a rank-4 spatial convolution goes through the same kernel
        checkGeneral(5, new int[] {1, 3, 3, 3, 3, 2}, new int[] {2, 2, 1, 2, 2, 2}, ones(4), ones(4), new int[] {0, 0, 0, 0},
                ones(4), ones(4), 1, false);
        // default overloads
        Array x = rand64(6, 1, 5, 5, 2), w = rand64(7, 3, 2, 2, 2);
        assertArrayEquals(conv2d(x, w).toDoubleArray(), convGeneral(x, w).toDoubleArray(), 0);
        assertArrayEquals(conv2d(x, w, 2, 1).toDoubleArray(), convGeneral(x, w, new int[] {2, 2}, new int[] {1, 1}).toDoubleArray(), 0);
    }

    @Test
    void stridedAndBroadcastOperands() {
        // input as a transposed view (N, W, H, C) -> (N, H, W, C), weight as a reversed slice and a broadcast
        Array base = rand64(11, 2, 6, 5, 3);
        Array x = transpose(base, 0, 2, 1, 3);
        Array wBase = rand64(12, 4, 3, 3, 3);
        Array w = slice(wBase, new int[] {0, 2, 0, 0}, new int[] {4, -1, 3, 3}, new int[] {1, -1, 1, 1});
        double[] xd = x.toDoubleArray(), wd = w.toDoubleArray();
        Ref r = ref(xd, new int[] {2, 5, 6, 3}, wd, new int[] {4, 3, 3, 3}, ones(2), ones(2), ones(2), ones(2), ones(2), 1, false);
        assertArrayEquals(r.data(), conv2d(x, w, 1, 1).toDoubleArray(), 1e-10);
        assertArrayEquals(r.data(), conv2d(contiguous(x), contiguous(w), 1, 1).toDoubleArray(), 1e-10);
        Array wb = broadcastTo(rand64(13, 1, 2, 2, 3), 4, 2, 2, 3);
        Ref rb = ref(xd, new int[] {2, 5, 6, 3}, wb.toDoubleArray(), new int[] {4, 2, 2, 3}, ones(2), ones(2), ones(2), ones(2), ones(2), 1, false);
        assertArrayEquals(rb.data(), conv2d(x, wb, 1, 1).toDoubleArray(), 1e-10);
    }

    @Test
    void weightInOtherLayouts() {
        // a PyTorch-layout weight (C_out, C_in, kH, kW) moved to channels last is read in place
        Array x = rand64(14, 2, 7, 6, 3), wTorch = rand64(15, 4, 3, 3, 2);
        Array w = transpose(wTorch, 0, 2, 3, 1);
        Ref r = ref(x.toDoubleArray(), new int[] {2, 7, 6, 3}, w.toDoubleArray(), new int[] {4, 3, 2, 3}, new int[] {2, 1}, ones(2), ones(2),
                ones(2), ones(2), 1, false);
        assertArrayEquals(r.data(), conv2d(x, w, new int[] {2, 1}, ones(2), ones(2), 1).toDoubleArray(), 1e-10);
        assertArrayEquals(r.data(), conv2d(x.astype(DType.FLOAT32), w.astype(DType.FLOAT32), new int[] {2, 1}, ones(2), ones(2), 1)
                .toDoubleArray(), 1e-4);
        // the same with groups, and with a transposed input
        Array xg = rand64(16, 1, 6, 6, 4), wg = transpose(rand64(17, 6, 2, 3, 3), 0, 2, 3, 1);
        Ref rg = ref(xg.toDoubleArray(), new int[] {1, 6, 6, 4}, wg.toDoubleArray(), new int[] {6, 3, 3, 2}, ones(2), ones(2), ones(2),
                ones(2), ones(2), 2, false);
        assertArrayEquals(rg.data(), conv2d(xg, wg, 1, 1, 1, 2).toDoubleArray(), 1e-10);
        assertArrayEquals(rg.data(), conv2d(xg.astype(DType.FLOAT32), wg.astype(DType.FLOAT32), 1, 1, 1, 2).toDoubleArray(), 1e-4);
        Array xt = transpose(rand64(18, 6, 6, 1, 4), 2, 0, 1, 3);
        Ref rt = ref(xt.toDoubleArray(), new int[] {1, 6, 6, 4}, wg.toDoubleArray(), new int[] {6, 3, 3, 2}, ones(2), ones(2), ones(2),
                ones(2), ones(2), 2, false);
        assertArrayEquals(rt.data(), conv2d(xt, wg, 1, 1, 1, 2).toDoubleArray(), 1e-10);
        // float16 depthwise with a strided weight
        Array xd = rand64(19, 1, 5, 5, 3), wd = transpose(rand64(20, 3, 1, 3, 3), 0, 2, 3, 1);
        Ref rd = ref(xd.toDoubleArray(), new int[] {1, 5, 5, 3}, wd.toDoubleArray(), new int[] {3, 3, 3, 1}, ones(2), ones(2), ones(2),
                ones(2), ones(2), 3, false);
        assertArrayEquals(rd.data(), conv2d(xd.astype(DType.FLOAT16), wd.astype(DType.FLOAT16), 1, 1, 1, 3).toDoubleArray(), 0.05);
    }

    @Test
    void largerFloat32ProblemsMatchFloat64() {
        // big enough to take the tiled path (many rows) and the chunked path (few, long rows)
        Array x = rand64(21, 8, 14, 14, 16), w = rand64(22, 32, 3, 3, 16);
        double[] y64 = conv2d(x, w, 1, 1).toDoubleArray();
        double[] y32 = conv2d(x.astype(DType.FLOAT32), w.astype(DType.FLOAT32), 1, 1).toDoubleArray();
        assertArrayEquals(y64, y32, 1e-3);
        Array xt = rand64(23, 2, 12, 12, 64), wt = rand64(24, 3, 10, 10, 64);
        assertArrayEquals(conv2d(xt, wt).toDoubleArray(), conv2d(xt.astype(DType.FLOAT32), wt.astype(DType.FLOAT32)).toDoubleArray(), 2e-3);
        // grouped float32 in both paths
        Array xg = rand64(25, 4, 12, 12, 8), wg = rand64(26, 12, 3, 3, 2);
        assertArrayEquals(conv2d(xg, wg, 1, 1, 1, 4).toDoubleArray(),
                conv2d(xg.astype(DType.FLOAT32), wg.astype(DType.FLOAT32), 1, 1, 1, 4).toDoubleArray(), 1e-4);
        // 1x1 with groups in float32
        Array w1 = rand64(27, 12, 1, 1, 2);
        assertArrayEquals(conv2d(xg, w1, 1, 0, 1, 4).toDoubleArray(),
                conv2d(xg.astype(DType.FLOAT32), w1.astype(DType.FLOAT32), 1, 0, 1, 4).toDoubleArray(), 1e-5);
    }

    @Test
    void shortReductionsMatchReference() {
        // one to three input channels (the direct kernel in float32): channel blocks whole, partial and several
        for (int ci : new int[] {1, 3}) {
            for (int co : new int[] {32, 20, 48}) {
                checkGeneral(60 + ci * 100 + co, new int[] {2, 9, 11, ci}, new int[] {co, 3, 3, ci}, ones(2), ones(2), ones(2), ones(2),
                        ones(2), 1, false);
            }
        }
        // stride, asymmetric padding, dilation and flip
        checkGeneral(70, new int[] {1, 12, 13, 2}, new int[] {32, 3, 2, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {0, 2},
                new int[] {2, 1}, ones(2), 1, true);
    }

    @Test
    void patchFreeFloat32PathsMatchReference() {
        // whole vectors of input channels, more output channels than one register tile (the last one partial)
        checkGeneral(90, new int[] {2, 7, 9, 16}, new int[] {48, 3, 3, 16}, ones(2), ones(2), ones(2), ones(2), ones(2), 1, false);
        checkGeneral(91, new int[] {4, 9, 8, 32}, new int[] {80, 2, 3, 32}, new int[] {2, 1}, new int[] {1, 2}, new int[] {0, 1},
                new int[] {1, 2}, ones(2), 1, true);
        // at most one register tile of output channels (any input channels), pixel counts not a multiple of 8
        checkGeneral(92, new int[] {3, 5, 7, 16}, new int[] {20, 3, 3, 16}, ones(2), ones(2), ones(2), ones(2), ones(2), 1, false);
        checkGeneral(93, new int[] {1, 11, 6, 5}, new int[] {32, 3, 3, 5}, new int[] {1, 2}, new int[] {2, 1}, new int[] {1, 0},
                new int[] {2, 1}, ones(2), 1, true);
    }

    @Test
    void weightGradientsOfLongReductionsMatchReference() {
        // few weight entries, many output positions: the reduction is split over workers and the patches
        // are gathered along the batch (C_in >= 2) or along the width (C_in = 1)
        int seed = 80;
        for (int ci : new int[] {1, 2, 8, 32}) {
            for (int[] g : new int[][] {{1, 1, 1}, {2, 0, 1}, {1, 2, 2}}) {
                int s = g[0], p = g[1], dil = g[2];
                // 64 outputs: the transposed product pads less; 32 inputs, 16 outputs: whole float32 register tiles
                int[] xs = {ci == 32 ? 40 : 16, 10, 9, ci}, ws = {ci == 2 ? 64 : ci == 32 ? 16 : 12, 3, 3, ci};
                double[] x = randn(seed++, prod(xs));
                Array xa = array(x, xs), w = rand64(seed++, ws);
                int[] ys = conv2d(xa, w, s, p, dil, 1).shape().dims();
                double[] r = randn(seed++, prod(ys));
                Array ra = array(r, ys);
                double[] expect = new double[prod(ws)];
                for (int n = 0; n < ys[0]; n++) {
                    for (int oh = 0; oh < ys[1]; oh++) {
                        for (int ow = 0; ow < ys[2]; ow++) {
                            for (int co = 0; co < ws[0]; co++) {
                                for (int kh = 0; kh < 3; kh++) {
                                    for (int kw = 0; kw < 3; kw++) {
                                        int ih = oh * s + kh * dil - p, iw = ow * s + kw * dil - p;
                                        if (ih < 0 || iw < 0 || ih >= xs[1] || iw >= xs[2]) continue;
                                        for (int c = 0; c < ci; c++) {
                                            expect[ravel(new int[] {co, kh, kw, c}, ws)] += r[ravel(new int[] {n, oh, ow, co}, ys)]
                                                    * x[ravel(new int[] {n, ih, iw, c}, xs)];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                String what = "C_in " + ci + ", stride " + s + ", padding " + p + ", dilation " + dil;
                Array gw = grad(ww -> sum(multiply(conv2d(xa, ww, s, p, dil, 1), ra))).apply(w);
                assertArrayEquals(expect, gw.toDoubleArray(), 1e-9, what);
                Array x32 = xa.astype(DType.FLOAT32), r32 = ra.astype(DType.FLOAT32);
                Array gw32 = grad(ww -> sum(multiply(conv2d(x32, ww, s, p, dil, 1), r32))).apply(w.astype(DType.FLOAT32));
                assertArrayEquals(expect, gw32.toDoubleArray(), 1e-3, what + " (float32)");
            }
        }
    }

    @Test
    void halfPrecisionAndPromotion() {
        Array x = rand64(31, 2, 6, 6, 3), w = rand64(32, 4, 3, 3, 3);
        double[] y = conv2d(x, w, 1, 1).toDoubleArray();
        for (DType t : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Array yh = conv2d(x.astype(t), w.astype(t), 1, 1);
            assertEquals(t, yh.dtype());
            assertArrayEquals(y, yh.toDoubleArray(), t == DType.FLOAT16 ? 0.05 : 0.3);
        }
        // an integral weight is promoted to the input's floating type
        Array wi = array(new int[] {1, 0, -1}, 1, 3, 1);
        Array xi = array(new float[] {1, 2, 3, 4}, 1, 4, 1);
        Array yi = conv1d(xi, wi);
        assertEquals(DType.FLOAT32, yi.dtype());
        assertArrayEquals(new float[] {-2, -2}, yi.toFloatArray());
        // float32 input, float64 weight: float64
        assertEquals(DType.FLOAT64, conv1d(xi, wi.astype(DType.FLOAT64)).dtype());
    }

    @Test
    void emptyBatch() {
        Array y = conv2d(zeros(new int[] {0, 5, 5, 2}, DType.FLOAT32), ones(new int[] {3, 3, 3, 2}, DType.FLOAT32), 1, 1);
        assertEquals(Shape.of(0, 5, 5, 3), y.shape());
        assertEquals(0, y.toFloatArray().length);
        Array g = grad(v -> sum(conv2d(v, ones(new int[] {3, 3, 3, 2}, DType.FLOAT64), 1, 1))).apply(zeros(new int[] {0, 4, 4, 2}, DType.FLOAT64));
        assertEquals(Shape.of(0, 4, 4, 2), g.shape());
    }

    // ------------------------------------------------------------------ transposed convolutions

    @Test
    void convTransposeHandCases() {
        Array x = array(new float[] {1, 2}, 1, 2, 1);
        Array w = array(new float[] {1, 2, 3}, 1, 3, 1);
        // scatter definition: out[i*stride + j] += x[i] * w[j]
        assertArrayEquals(new float[] {1, 2, 5, 4, 6}, convTranspose1d(x, w, 2, 0).toFloatArray());
        assertArrayEquals(new float[] {1, 4, 7, 6}, convTranspose1d(x, w).toFloatArray());
        // padding crops both ends, outputPadding extends the high end
        assertArrayEquals(new float[] {2, 5, 4}, convTranspose1d(x, w, 2, 1).toFloatArray());
        assertArrayEquals(new float[] {2, 5, 4, 6}, convTranspose1d(x, w, 2, 1, 1, 1, 1).toFloatArray());
        // dilation 2: taps at 0, 2, 4
        assertArrayEquals(new float[] {1, 2, 2, 4, 3, 6}, convTranspose1d(x, w, 1, 0, 2, 0, 1).toFloatArray());
        // 2-d: a single pixel spreads the kernel
        Array one = array(new float[] {1}, 1, 1, 1, 1);
        Array k = array(new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
        assertArrayEquals(new float[] {1, 2, 3, 4}, convTranspose2d(one, k).toFloatArray());
        assertEquals(Shape.of(2, 9, 11, 3), convTranspose2d(rand64(1, 2, 4, 5, 2), rand64(2, 3, 3, 3, 2), 2, 0).shape());
        assertEquals(Shape.of(1, 8, 8, 8, 2), convTranspose3d(rand64(1, 1, 4, 4, 4, 2), rand64(2, 2, 2, 2, 2, 2), 2, 0).shape());
    }

    /** {@code <conv(x, w), y> == <x, convTranspose(y, w')>} with w' the group-transposed weight (C_in, k..., C_out/groups). */
    @Test
    void convTransposeIsTheAdjointOfConv() {
        int[][] cfg = { // d, N, S, C_in, C_out, k, stride, pad, dil, groups
            {1, 2, 11, 3, 4, 3, 2, 1, 1, 1}, {1, 1, 12, 4, 6, 2, 3, 0, 2, 2}, {2, 2, 9, 2, 3, 3, 2, 1, 1, 1},
            {2, 1, 10, 4, 4, 3, 3, 2, 2, 4}, {2, 1, 7, 2, 2, 2, 1, 3, 1, 1}, {3, 1, 6, 2, 3, 3, 2, 1, 1, 1},
            {3, 2, 5, 4, 2, 2, 1, 0, 2, 2}};
        for (int[] c : cfg) {
            int d = c[0], n = c[1], sz = c[2], cin = c[3], cout = c[4], k = c[5], st = c[6], pad = c[7], dil = c[8], g = c[9];
            int[] xs = new int[d + 2], ws = new int[d + 2];
            xs[0] = n;
            xs[d + 1] = cin;
            ws[0] = cout;
            ws[d + 1] = cin / g;
            for (int i = 1; i <= d; i++) {
                xs[i] = sz;
                ws[i] = k;
            }
            Array x = rand64(c[2] * 3L + d, xs), w = rand64(c[5] * 5L + g, ws);
            int[] s = filled(d, st), p = filled(d, pad), dl = filled(d, dil);
            Array y = convGeneral(x, w, s, p, p, dl, ones(d), g, false);
            int outLen = y.dim(1);
            int outputPadding = sz - ((outLen - 1) * st - 2 * pad + dil * (k - 1) + 1);
            Array r = rand64(99, y.shape().dims());
            // w': (C_in, k..., C_out/g), in and out channels swapped within each group
            int[] split = new int[d + 3];
            split[0] = g;
            split[1] = cout / g;
            for (int i = 0; i < d; i++) split[i + 2] = k;
            split[d + 2] = cin / g;
            int[] perm = new int[d + 3];
            perm[0] = 0;
            perm[1] = d + 2;
            for (int i = 0; i < d; i++) perm[i + 2] = i + 2;
            perm[d + 2] = 1;
            int[] merged = new int[d + 2];
            merged[0] = cin;
            for (int i = 0; i < d; i++) merged[i + 1] = k;
            merged[d + 1] = cout / g;
            Array wt = reshape(transpose(reshape(w, split), perm), merged);
            Array xt = switch (d) {
                case 1 -> convTranspose1d(r, wt, st, pad, dil, outputPadding, g);
                case 2 -> convTranspose2d(r, wt, st, pad, dil, outputPadding, g);
                default -> convTranspose3d(r, wt, st, pad, dil, outputPadding, g);
            };
            assertEquals(x.shape(), xt.shape(), java.util.Arrays.toString(c));
            double lhs = sum(multiply(y, r)).item(), rhs = sum(multiply(x, xt)).item();
            assertEquals(lhs, rhs, 1e-9 * (1 + Math.abs(lhs)), java.util.Arrays.toString(c));
        }
    }

    // ------------------------------------------------------------------ gradients

    /** L(x, w) = sum(f(x, w) * R); vjp against central differences (exact for a bilinear f) and jvp likewise. */
    private static void checkGradients(String what, BiFunction<Array, Array, Array> f, int[] xs, int[] ws, long seed) {
        double[] x = randn(seed, prod(xs)), w = randn(seed + 1, prod(ws));
        Array y0 = f.apply(array(x, xs), array(w, ws));
        Array r = rand64(seed + 2, y0.shape().dims());
        BiFunction<double[], double[], Double> loss = (a, b) -> sum(multiply(f.apply(array(a, xs), array(b, ws)), r)).item();
        List<Array> g = grad((List<Array> p) -> sum(multiply(f.apply(p.get(0), p.get(1)), r)), 0, 1).apply(List.of(array(x, xs), array(w, ws)));
        assertEquals(Shape.of(xs), g.get(0).shape(), what);
        assertEquals(Shape.of(ws), g.get(1).shape(), what);
        double[] gx = g.get(0).toDoubleArray(), gw = g.get(1).toDoubleArray();
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double[] xp = x.clone(), xm = x.clone();
            xp[i] += h;
            xm[i] -= h;
            double num = (loss.apply(xp, w) - loss.apply(xm, w)) / (2 * h);
            assertEquals(num, gx[i], 1e-7 * (1 + Math.abs(num)), what + ": d/dx[" + i + "]");
        }
        for (int i = 0; i < w.length; i++) {
            double[] wp = w.clone(), wm = w.clone();
            wp[i] += h;
            wm[i] -= h;
            double num = (loss.apply(x, wp) - loss.apply(x, wm)) / (2 * h);
            assertEquals(num, gw[i], 1e-7 * (1 + Math.abs(num)), what + ": d/dw[" + i + "]");
        }
        // jvp: the directional derivative along (tx, tw)
        double[] tx = randn(seed + 3, x.length), tw = randn(seed + 4, w.length);
        var jr = jvp(p -> List.of(f.apply(p.get(0), p.get(1))), List.of(array(x, xs), array(w, ws)), List.of(array(tx, xs), array(tw, ws)));
        double[] xp = x.clone(), xm = x.clone(), wp = w.clone(), wm = w.clone();
        for (int i = 0; i < x.length; i++) {
            xp[i] += h * tx[i];
            xm[i] -= h * tx[i];
        }
        for (int i = 0; i < w.length; i++) {
            wp[i] += h * tw[i];
            wm[i] -= h * tw[i];
        }
        double[] yp = f.apply(array(xp, xs), array(wp, ws)).toDoubleArray(), ym = f.apply(array(xm, xs), array(wm, ws)).toDoubleArray();
        double[] jt = jr.tangents().get(0).toDoubleArray();
        for (int i = 0; i < jt.length; i++) assertEquals((yp[i] - ym[i]) / (2 * h), jt[i], 1e-7 * (1 + Math.abs(jt[i])), what + ": jvp[" + i + "]");
        // only the input varies (the weight is a constant of the traced function)
        Array wc = array(w, ws);
        var jx = jvp(p -> List.of(f.apply(p.get(0), wc)), List.of(array(x, xs)), List.of(array(tx, xs)));
        assertArrayEquals(f.apply(array(tx, xs), array(w, ws)).toDoubleArray(), jx.tangents().get(0).toDoubleArray(), 1e-10, what);
    }

    @Test
    void gradientsConv1d() {
        checkGradients("plain", (x, w) -> conv1d(x, w), new int[] {2, 7, 2}, new int[] {3, 3, 2}, 1);
        checkGradients("stride 3 with unused tail, padding", (x, w) -> conv1d(x, w, 3, 1), new int[] {1, 10, 2}, new int[] {2, 3, 2}, 2);
        checkGradients("dilation and groups", (x, w) -> conv1d(x, w, 2, 2, 2, 2), new int[] {2, 9, 4}, new int[] {4, 3, 2}, 3);
        checkGradients("padding beyond the kernel", (x, w) -> conv1d(x, w, 2, 3, 1, 1), new int[] {1, 5, 1}, new int[] {2, 2, 1}, 4);
        checkGradients("1x1", (x, w) -> conv1d(x, w), new int[] {2, 4, 3}, new int[] {2, 1, 3}, 5);
    }

    @Test
    void gradientsConv2d() {
        checkGradients("stride 2 pad 1", (x, w) -> conv2d(x, w, 2, 1), new int[] {2, 5, 6, 2}, new int[] {3, 3, 3, 2}, 11);
        checkGradients("dilation 2 groups 2", (x, w) -> conv2d(x, w, new int[] {1, 2}, new int[] {2, 1}, new int[] {2, 1}, 2),
                new int[] {1, 6, 6, 4}, new int[] {4, 2, 3, 2}, 12);
        checkGradients("depthwise", (x, w) -> conv2d(x, w, 1, 1, 1, 3), new int[] {1, 4, 5, 3}, new int[] {6, 3, 3, 1}, 13);
    }

    @Test
    void gradientsConv3dAndGeneral() {
        checkGradients("conv3d stride 2", (x, w) -> conv3d(x, w, 2, 1), new int[] {1, 4, 3, 4, 2}, new int[] {2, 2, 2, 2, 2}, 21);
        checkGradients("general: asymmetric padding, input dilation, flip",
                (x, w) -> convGeneral(x, w, new int[] {2, 1}, new int[] {0, 2}, new int[] {3, 1}, new int[] {1, 2}, new int[] {2, 1}, 1, true),
                new int[] {1, 4, 5, 2}, new int[] {3, 3, 2, 2}, 22);
        checkGradients("general: groups, flip, both dilations",
                (x, w) -> convGeneral(x, w, new int[] {1}, new int[] {1}, new int[] {0}, new int[] {2}, new int[] {3}, 2, true),
                new int[] {2, 4, 4}, new int[] {2, 2, 2}, 23);
    }

    @Test
    void gradientsConvTranspose() {
        checkGradients("convTranspose1d", (x, w) -> convTranspose1d(x, w, 2, 1, 1, 1, 1), new int[] {2, 4, 2}, new int[] {3, 3, 2}, 31);
        checkGradients("convTranspose2d groups", (x, w) -> convTranspose2d(x, w, new int[] {2, 1}, new int[] {0, 1}, new int[] {1, 2},
                new int[] {1, 0}, 2), new int[] {1, 3, 3, 4}, new int[] {2, 2, 2, 2}, 32);
        checkGradients("convTranspose padding beyond the kernel", (x, w) -> convTranspose1d(x, w, 3, 2, 1, 0, 1),
                new int[] {1, 4, 1}, new int[] {2, 2, 1}, 33);
    }

    @Test
    void secondOrder() {
        // d/dw of <grad_x L, v> where L = sum(conv(x, w) * r): bilinear, so the second derivative is a conv too
        Array x = rand64(41, 1, 5, 2), w = rand64(42, 2, 3, 2), r = rand64(43, 1, 3, 2), v = rand64(44, 1, 5, 2);
        java.util.function.Function<Array, Double> h = ww -> sum(multiply(grad(xx -> sum(multiply(conv1d(xx, ww), r))).apply(x), v)).item();
        Array gw = grad(ww -> sum(multiply(grad(xx -> sum(multiply(conv1d(xx, ww), r))).apply(x), v))).apply(w);
        double[] wd = w.toDoubleArray(), g = gw.toDoubleArray();
        for (int i = 0; i < wd.length; i++) {
            double[] p = wd.clone(), m = wd.clone();
            p[i] += 1e-3;
            m[i] -= 1e-3;
            double num = (h.apply(array(p, 2, 3, 2)) - h.apply(array(m, 2, 3, 2))) / 2e-3;
            assertEquals(num, g[i], 1e-7);
        }
    }

    @Test
    void fashionMnistShapesFloat32MatchFloat64() {
        // the CNN's two convolutions, forward and both gradients, float32 against float64
        Array x = rand64(51, 4, 28, 28, 1), w1 = rand64(52, 32, 3, 3, 1).multiply(0.3), w2 = rand64(53, 64, 3, 3, 32).multiply(0.1);
        Array r = rand64(54, 4, 28, 28, 64);
        java.util.function.Function<List<Array>, Array> loss = p -> {
            Array c = conv2d(p.get(0), p.get(1), 1, 1);
            Array h = maximum(c, scalarLike(0, c));
            return sum(multiply(conv2d(h, p.get(2), 1, 1), astype(r, p.get(0).dtype())));
        };
        List<Array> g64 = grad(loss::apply, 1, 2).apply(List.of(x, w1, w2));
        List<Array> g32 = grad(loss::apply, 1, 2).apply(List.of(x.astype(DType.FLOAT32), w1.astype(DType.FLOAT32), w2.astype(DType.FLOAT32)));
        for (int i = 0; i < 2; i++) {
            double[] a = g64.get(i).toDoubleArray(), b = g32.get(i).toDoubleArray();
            double scale = 0;
            for (double v : a) scale = Math.max(scale, Math.abs(v));
            assertArrayEquals(a, b, 1e-4 * scale);
        }
        List<Array> gx = grad(loss::apply, 0).apply(List.of(x, w1, w2));
        assertEquals(x.shape(), gx.get(0).shape());
    }

    // ------------------------------------------------------------------ bad input

    private static void assertMessage(String start, String contains, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().contains(contains), e.getMessage());
    }

    @Test
    void badInputMessages() {
        Array x = zeros(1, 5, 5, 4), w = zeros(8, 3, 3, 4);
        assertMessage("[conv2d] ", "(1, 5, 5, 4)", () -> conv2d(x, zeros(8, 3, 3, 3)));
        assertMessage("[conv2d] ", "groups", () -> conv2d(x, zeros(8, 3, 3, 2), 1, 0, 1, 3));
        assertMessage("[conv2d] ", "output channels", () -> conv2d(x, zeros(6, 3, 3, 1), 1, 0, 1, 4));
        assertMessage("[conv2d] ", "larger than", () -> conv2d(x, zeros(8, 7, 3, 4)));
        assertMessage("[conv2d] ", "larger than", () -> conv2d(x, w, 1, 0, 3, 1));
        assertMessage("[conv2d] ", "non-negative", () -> conv2d(x, w, 1, -1));
        assertMessage("[conv2d] ", "positive", () -> conv2d(x, w, 0, 1));
        assertMessage("[conv2d] ", "positive", () -> conv2d(x, w, 1, 1, 1, 0));
        assertMessage("[conv2d] ", "(1, 5, 4)", () -> conv2d(zeros(1, 5, 4), w));
        assertMessage("[conv2d] ", "(8, 3, 4)", () -> conv2d(x, zeros(8, 3, 4)));
        assertMessage("[conv2d] ", "2 entries", () -> conv2d(x, w, new int[] {1}, new int[] {0, 0}, new int[] {1, 1}, 1));
        assertMessage("[conv1d] ", "int32", () -> conv1d(array(new int[] {1, 2, 3}, 1, 3, 1), zeros(1, 1, 1)));
        assertMessage("[conv3d] ", "5 dimensions", () -> conv3d(x, w));
        assertMessage("[convGeneral] ", "same number of dimensions", () -> convGeneral(x, zeros(8, 3, 4)));
        assertMessage("[convGeneral] ", "inputDilation", () -> convGeneral(x, w, ones(2), ones(2), ones(2), ones(2), new int[] {1, 0}, 1, false));
        assertMessage("[convGeneral] ", "paddingHi", () -> convGeneral(x, w, ones(2), ones(2), new int[] {0, -2}, ones(2), ones(2), 1, false));
        assertMessage("[convTranspose2d] ", "outputPadding", () -> convTranspose2d(x, zeros(2, 3, 3, 4), 2, 0, 1, 2, 1));
        assertMessage("[convTranspose1d] ", "padding", () -> convTranspose1d(zeros(1, 1, 1), zeros(1, 2, 1), 1, 2));
        assertMessage("[convTranspose2d] ", "channels", () -> convTranspose2d(x, zeros(2, 3, 3, 3)));
    }
}
