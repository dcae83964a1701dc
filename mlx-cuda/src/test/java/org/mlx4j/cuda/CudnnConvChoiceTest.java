package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Convolution;
import org.mlx4j.cuda.lib.Cudnn;

/**
 * {@link CudnnConv#choose}: which convolutions go to cuDNN, and that the spec it builds means the same
 * convolution. cuDNN's two calls are written out here as direct loops from their definitions
 * (forward: {@code y[n,k,o] = sum_{c,j} x[n, g*Cg+c, o*stride + j*dilation - pad] * w[k, c, j or R-1-j]};
 * backward data: its adjoint) over the spec's dims and strides and an NHWC-packed filter, and their
 * results are checked against the primitive's definition ({@link CudaConvTest#direct}) for forward
 * convolutions, input gradients (input dilation) and weight gradients, as {@link Convolution}'s vjp
 * builds them.
 */
class CudnnConvChoiceTest {
    static int[] fill(int d, int v) { return CudaConvTest.fill(d, v); }

    /** {@link CudnnConv#choose} for dense x and w. */
    static CudnnConv.Choice choose(Convolution p, DType t, int[] x, int[] w, int[] out, boolean tf32) {
        return CudnnConv.choose(p, t, x, new Shape(x).strides(), w, new Shape(w).strides(), out, tf32);
    }

    static Convolution conv(int[] stride, int[] lo, int[] hi, int[] kd, int[] id, int groups, boolean flip) {
        return new Convolution(stride, lo, hi, kd, id, groups, flip);
    }

    /** The input-gradient convolution of a forward one, as Convolution.inputCotangent builds it: (primitive, ct dims, w' dims). */
    static CudaConvTest.Case inputGradient(CudaConvTest.Case f) {
        Convolution p = f.p();
        int d = p.spatialDims();
        int[] od = f.out().dims();
        int[] lo = new int[d], hi = new int[d];
        for (int i = 0; i < d; i++) {
            int kSpan = p.dilatedKernel(i, f.w()[i + 1]);
            int inSpan = p.dilatedInput(i, f.x()[i + 1]);
            int outSpan = (od[i + 1] - 1) * p.stride()[i] + 1;
            lo[i] = kSpan - 1 - p.paddingLo()[i];
            hi[i] = inSpan - outSpan + p.paddingLo()[i];
        }
        int g = p.groups();
        int[] wt = f.w().clone();
        wt[0] = f.x()[d + 1];
        wt[d + 1] = f.w()[0] / g;
        return new CudaConvTest.Case(conv(p.inputDilation(), lo, hi, p.kernelDilation(), p.stride(), g, !p.flip()), od, wt);
    }

    /** The weight-gradient convolution of a one-group forward one, as Convolution.weightCotangent builds it. */
    static CudaConvTest.Case weightGradient(CudaConvTest.Case f) {
        Convolution p = f.p();
        int d = p.spatialDims();
        int[] od = f.out().dims();
        int[] hi = new int[d];
        for (int i = 0; i < d; i++) {
            int kSpan = p.dilatedKernel(i, f.w()[i + 1]);
            int inSpan = p.dilatedInput(i, f.x()[i + 1]);
            int outSpan = (od[i + 1] - 1) * p.stride()[i] + 1;
            hi[i] = kSpan - 1 + outSpan - inSpan - p.paddingLo()[i];
        }
        int[] xT = f.x().clone(), ctT = od.clone();
        xT[0] = f.x()[d + 1];
        xT[d + 1] = f.x()[0];
        ctT[0] = od[d + 1];
        ctT[d + 1] = od[0];
        return new CudaConvTest.Case(conv(p.kernelDilation(), p.paddingLo(), hi, p.stride(), p.inputDilation(), 1, false), xT, ctT);
    }

    static final CudaConvTest.Case STRIDED = new CudaConvTest.Case(conv(fill(2, 2), fill(2, 1), fill(2, 1), fill(2, 1), fill(2, 1), 1, false),
            new int[] {2, 7, 6, 3}, new int[] {4, 3, 3, 3});
    static final CudaConvTest.Case UNEVEN = new CudaConvTest.Case(conv(fill(2, 2), fill(2, 1), new int[] {2, 1}, new int[] {1, 2}, fill(2, 1), 1, true),
            new int[] {1, 7, 8, 2}, new int[] {3, 3, 2, 2});
    static final CudaConvTest.Case GROUPED_1D = new CudaConvTest.Case(conv(new int[] {2}, new int[] {2}, new int[] {2}, new int[] {2}, new int[] {1}, 2, true),
            new int[] {2, 9, 4}, new int[] {6, 3, 2});
    static final CudaConvTest.Case CUBE = new CudaConvTest.Case(conv(fill(3, 1), fill(3, 1), fill(3, 1), fill(3, 1), fill(3, 1), 1, false),
            new int[] {1, 4, 3, 5, 2}, new int[] {2, 2, 2, 2, 2});

    /** Padded (0, 2) at stride 2: cuDNN's symmetric padding cannot give its outputs, but its input gradient works. */
    static final CudaConvTest.Case HIGH_PAD = new CudaConvTest.Case(conv(fill(2, 2), fill(2, 0), fill(2, 2), fill(2, 1), fill(2, 1), 1, false),
            new int[] {1, 6, 6, 2}, new int[] {3, 3, 3, 2});

    static final CudaConvTest.Case ONE_D = new CudaConvTest.Case(conv(new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {1}, 1, false),
            new int[] {2, 9, 3}, new int[] {4, 3, 3});

    static CudaConvTest.Case[] usable() {
        return new CudaConvTest.Case[] {
            STRIDED, UNEVEN, GROUPED_1D, CUBE,
            inputGradient(STRIDED), inputGradient(UNEVEN), inputGradient(GROUPED_1D), inputGradient(CUBE), inputGradient(HIGH_PAD),
            ONE_D, inputGradient(ONE_D), weightGradient(ONE_D),
            weightGradient(STRIDED), weightGradient(UNEVEN), weightGradient(CUBE),
        };
    }

    @Test
    void forwardAndBothGradientsMapOntoCudnnWithTheSameMeaning() {
        for (CudaConvTest.Case c : usable()) {
            CudnnConv.Choice ch = choose(c.p(), DType.FLOAT32, c.x(), c.w(), c.out().dims(), false);
            assertTrue(ch.usable(), c.p() + ": " + ch.whyNot());
            boolean transposed = false;
            for (int v : c.p().inputDilation()) transposed |= v != 1;
            long kvol = 1, ovol = 1;
            for (int i = 1; i <= c.p().spatialDims(); i++) {
                kvol *= c.w()[i];
                ovol *= c.out().dim(i);
            }
            Cudnn.Direction expected = transposed ? Cudnn.Direction.BACKWARD_DATA
                    : kvol > ovol ? Cudnn.Direction.BACKWARD_FILTER : Cudnn.Direction.FORWARD;
            assertEquals(expected, ch.dir(), c.p().toString());
            double[] x = CudaConvTest.input(c.x()), w = CudaConvTest.weight(c.w());
            double[] expect = CudaConvTest.direct(c, x, w);
            double[] got = switch (ch.dir()) {
                case FORWARD -> forward(ch.spec(), x, w);
                case BACKWARD_DATA -> backwardData(ch.spec(), x, gather(w, CudnnConv.groupTransposed(c.w(), new Shape(c.w()).strides(), c.p().groups())));
                case BACKWARD_FILTER -> backwardFilter(ch.spec(), x, w);
            };
            if (ch.temp() > 0) {
                assertEquals(ch.temp(), got.length, "the temporary holds what cuDNN writes");
                got = gather(got, ch.copyOut());
            }
            assertArrayEquals(expect, got, 1e-12, c.p() + " via " + ch.spec());
        }
    }

    @Test
    void specIsChannelsLastLiftsOneDimAndPicksTheMathType() {
        CudnnConv.Choice ch = choose(GROUPED_1D.p(), DType.FLOAT32, GROUPED_1D.x(), GROUPED_1D.w(), GROUPED_1D.out().dims(), false);
        Cudnn.ConvSpec s = ch.spec();
        // (N, C, 1, W) with channels-last strides: N = W*C, C = 1, H = W*C, W = C
        assertArrayEquals(new int[] {2, 4, 1, 9}, s.xDims());
        assertArrayEquals(new int[] {36, 1, 36, 4}, s.xStrides());
        assertArrayEquals(new int[] {6, 2, 1, 3}, s.wDims());
        assertArrayEquals(new int[] {0, 2}, s.pad());
        assertArrayEquals(new int[] {1, 2}, s.stride());
        assertArrayEquals(new int[] {1, 2}, s.dilation());
        assertEquals(2, s.groups());
        assertTrue(s.flip());
        assertEquals(Cudnn.FMA_MATH, s.mathType());
        assertEquals(Cudnn.DEFAULT_MATH, choose(STRIDED.p(), DType.FLOAT32, STRIDED.x(), STRIDED.w(), STRIDED.out().dims(), true).spec().mathType());
        Cudnn.ConvSpec bf = choose(STRIDED.p(), DType.BFLOAT16, STRIDED.x(), STRIDED.w(), STRIDED.out().dims(), false).spec();
        assertEquals(Cudnn.DataType.BFLOAT16, bf.type());
        assertEquals(Cudnn.TENSOR_OP_MATH, bf.mathType());
        assertEquals(Cudnn.DataType.HALF, choose(STRIDED.p(), DType.FLOAT16, STRIDED.x(), STRIDED.w(), STRIDED.out().dims(), false).spec().type());
        // the input gradient: dy is our input (K = 4 channels), dx our output (C = 3), pad (k-1) - lo = 1
        CudaConvTest.Case ig = inputGradient(STRIDED);
        Cudnn.ConvSpec b = choose(ig.p(), DType.FLOAT32, ig.x(), ig.w(), ig.out().dims(), false).spec();
        assertArrayEquals(new int[] {2, 3, 7, 6}, b.xDims());
        assertArrayEquals(new int[] {2, 4, 4, 3}, b.yDims());
        assertArrayEquals(new int[] {4, 3, 3, 3}, b.wDims());
        assertArrayEquals(new int[] {1, 1}, b.pad());
        assertArrayEquals(new int[] {2, 2}, b.stride());
        assertFalse(b.flip(), "the forward was a cross-correlation, so is the cuDNN call");
    }

    @Test
    void paddingShortOnTheHighSideComputesIntoATemporaryAndSlices() {
        // padding (2, 0): cuDNN pads 2 on both sides and produces 7 outputs, of which ours are the first 5
        Convolution p = conv(fill(2, 1), fill(2, 2), fill(2, 0), fill(2, 1), fill(2, 1), 1, false);
        int[] x = {1, 5, 5, 2}, w = {3, 3, 3, 2};
        CudnnConv.Choice ch = choose(p, DType.FLOAT32, x, w, p.outputShape(new Shape(x), new Shape(w)).dims(), false);
        assertTrue(ch.usable(), ch.whyNot());
        assertEquals(7 * 7 * 3, ch.temp());
        assertArrayEquals(new int[] {1, 3, 7, 7}, ch.spec().yDims());
        Layout l = ch.copyOut();
        assertArrayEquals(new long[] {5, 15}, l.shape(), "rows of 5 pixels x 3 channels, merged");
        assertArrayEquals(new long[] {21, 1}, l.strides());
        // the input gradient of a stride-2 convolution padded (0, 2) is such a case (its forward is not)
        assertFalse(choose(HIGH_PAD.p(), DType.FLOAT32, HIGH_PAD.x(), HIGH_PAD.w(), HIGH_PAD.out().dims(), false).usable());
        CudaConvTest.Case ig = inputGradient(HIGH_PAD);
        CudnnConv.Choice igc = choose(ig.p(), DType.FLOAT32, ig.x(), ig.w(), ig.out().dims(), false);
        assertEquals(Cudnn.Direction.BACKWARD_DATA, igc.dir());
        assertTrue(igc.temp() > ig.out().size(), "cuDNN's dx is larger than ours");
        // and a plain one writes our output directly
        assertEquals(0, choose(STRIDED.p(), DType.FLOAT32, STRIDED.x(), STRIDED.w(), STRIDED.out().dims(), false).temp());
    }

    @Test
    void theWeightGradientReadsTheInputAndCotangentInPlaceAsBackwardFilter() {
        // Convolution's vjp hands the weight gradient xT = swapaxes(x) and ctT = swapaxes(ct) of dense
        // x (2, 7, 6, 3) and ct (2, 4, 3, 4): swapped back, cuDNN reads them as plain NHWC tensors
        CudaConvTest.Case wg = weightGradient(STRIDED);
        long[] xs = new Shape(STRIDED.x()).strides(), cs = new Shape(STRIDED.out().dims()).strides();
        long[] xT = {xs[3], xs[1], xs[2], xs[0]}, ctT = {cs[3], cs[1], cs[2], cs[0]};
        CudnnConv.Choice ch = CudnnConv.choose(wg.p(), DType.FLOAT32, wg.x(), xT, wg.w(), ctT, wg.out().dims(), false);
        assertEquals(Cudnn.Direction.BACKWARD_FILTER, ch.dir());
        Cudnn.ConvSpec s = ch.spec();
        assertArrayEquals(new int[] {2, 3, 7, 6}, s.xDims());
        assertArrayEquals(CudnnConv.channelsLastStrides(s.xDims()), s.xStrides(), "x itself, NHWC");
        assertArrayEquals(new int[] {2, 4, 4, 3}, s.yDims());
        assertArrayEquals(CudnnConv.channelsLastStrides(s.yDims()), s.yStrides(), "the cotangent itself, NHWC");
        assertArrayEquals(new int[] {4, 3, 3, 3}, s.wDims(), "dw is the forward weight's shape");
        assertArrayEquals(new int[] {1, 1}, s.pad());
        assertArrayEquals(new int[] {2, 2}, s.stride(), "the forward stride");
        assertArrayEquals(new int[] {1, 1}, s.dilation());
        // cuDNN's dw (C_out, k..., C_in) read out as our (C_in, k..., C_out): a transpose
        assertEquals(4 * 3 * 3 * 3, ch.temp());
        assertArrayEquals(new long[] {3, 9, 4}, ch.copyOut().shape());
        assertArrayEquals(new long[] {1, 3, 27}, ch.copyOut().strides());
        // grouped or flipped: the forward call
        Convolution flipped = conv(wg.p().stride(), wg.p().paddingLo(), wg.p().paddingHi(), wg.p().kernelDilation(), wg.p().inputDilation(), 1, true);
        assertEquals(Cudnn.Direction.FORWARD, choose(flipped, DType.FLOAT32, wg.x(), wg.w(), wg.out().dims(), false).dir());
    }

    @Test
    void refusalsAtTheCallAreTheBadParamAndNotSupportedFamilies() {
        // these send the convolution to im2col; anything else is a failure the caller sees
        assertTrue(CudnnConv.refusal(2000) && CudnnConv.refusal(2002) && CudnnConv.refusal(3000) && CudnnConv.refusal(3007));
        assertFalse(CudnnConv.refusal(0) || CudnnConv.refusal(1001) || CudnnConv.refusal(4000) || CudnnConv.refusal(5000));
    }

    @Test
    void whatCudnnCannotExpressStaysOnIm2col() {
        int[] x = {1, 5, 5, 2}, w = {3, 3, 3, 2};
        // input dilation and stride together
        Convolution both = conv(fill(2, 2), fill(2, 1), fill(2, 1), fill(2, 1), fill(2, 2), 1, false);
        assertWhyNot("stride", both, DType.FLOAT32, x, w);
        // negative padding (a crop)
        assertWhyNot("negative padding", conv(fill(2, 1), new int[] {-1, 0}, fill(2, 0), fill(2, 1), fill(2, 1), 1, false), DType.FLOAT32, x, w);
        // padding (0, 2): cuDNN would pad 0 on both sides and produce 3 outputs, not 5
        assertWhyNot("not symmetric", conv(fill(2, 1), fill(2, 0), fill(2, 2), fill(2, 1), fill(2, 1), 1, false), DType.FLOAT32, x, w);
        assertWhyNot("dtype int32", conv(fill(2, 1), fill(2, 1), fill(2, 1), fill(2, 1), fill(2, 1), 1, false), DType.INT32, x, w);
        Convolution four = conv(fill(4, 1), fill(4, 0), fill(4, 0), fill(4, 1), fill(4, 1), 1, false);
        assertWhyNot("4 spatial axes", four, DType.FLOAT32, new int[] {1, 2, 2, 2, 2, 1}, new int[] {1, 1, 1, 1, 1, 1});
        Convolution big = conv(fill(2, 1), fill(2, 0), fill(2, 0), fill(2, 1), fill(2, 1), 1, false);
        assertWhyNot("elements", big, DType.FLOAT32, new int[] {2, 40000, 40000, 1}, new int[] {1, 1, 1, 1});
        assertWhyNot("empty axis", big, DType.FLOAT32, new int[] {1, 0, 3, 1}, new int[] {1, 1, 1, 1});
    }

    @Test
    void groupTransposedFilterOfASwappedWeightIsTheWeightItself() {
        // one group: w' = swapaxes(w, 0, -1) of a dense (C_out=4, 3, 3, C_in=5) weight is read densely
        int[] orig = {4, 3, 3, 5};
        long[] os = new Shape(orig).strides();
        int[] swapped = {5, 3, 3, 4};
        long[] ss = {os[3], os[1], os[2], os[0]};
        assertTrue(CudnnConv.dense(CudnnConv.groupTransposed(swapped, ss, 1)));
        // a dense w' with two groups needs the copy, and the copy is F[g*Cig + a, j, b] = w'[g*Cog + b, j, a]
        int[] wt = {4, 2, 3};
        Layout f = CudnnConv.groupTransposed(wt, new Shape(wt).strides(), 2);
        assertFalse(CudnnConv.dense(f));
        double[] w = new double[24];
        for (int i = 0; i < w.length; i++) w[i] = i;
        double[] got = gather(w, f);
        // F dims (C_in = 2 groups x 3, 2, C_out/groups = 2): F[g*3 + a, j, b] = w'[g*2 + b, j, a]
        for (int g = 0; g < 2; g++)
            for (int a = 0; a < 3; a++)
                for (int j = 0; j < 2; j++)
                    for (int b = 0; b < 2; b++)
                        assertEquals(w[((g * 2 + b) * 2 + j) * 3 + a], got[(((g * 3 + a) * 2) + j) * 2 + b], "F " + g + a + j + b);
    }

    private static void assertWhyNot(String fragment, Convolution p, DType t, int[] x, int[] w) {
        int[] out = p.outputShape(new Shape(x), new Shape(w)).dims();
        CudnnConv.Choice ch = choose(p, t, x, w, out, false);
        assertFalse(ch.usable(), p + " should stay on im2col");
        assertTrue(ch.whyNot().contains(fragment), ch.whyNot());
    }

    /** The elements a layout walks, in row-major order. */
    static double[] gather(double[] mem, Layout l) {
        long n = 1;
        for (long s : l.shape()) n *= s;
        double[] r = new double[(int) n];
        for (int e = 0; e < n; e++) {
            long off = 0, rr = e;
            for (int a = l.shape().length - 1; a >= 0; a--) {
                off += rr % l.shape()[a] * l.strides()[a];
                rr /= l.shape()[a];
            }
            r[e] = mem[(int) off];
        }
        return r;
    }

    /** Calls {@code body(n, k, o..., c, j...)} style iteration helper: row-major positions of {@code dims}. */
    private static int[] unravel(long e, int[] dims) {
        int[] pos = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            pos[a] = (int) (e % dims[a]);
            e /= dims[a];
        }
        return pos;
    }

    private static long count(int[] dims) {
        long n = 1;
        for (int v : dims) n *= v;
        return n;
    }

    /**
     * Visits every (n, k, output position, c, tap) of the spec and reports the x offset it reads
     * (or -1 outside) with the y offset and the filter index: the relation both calls share.
     */
    private interface Visit { void at(long xOff, long yOff, long wIdx); }

    private static void walk(Cudnn.ConvSpec s, Visit v) {
        int nd = s.xDims().length, sp = nd - 2;
        int[] oDims = java.util.Arrays.copyOfRange(s.yDims(), 2, nd), kDims = java.util.Arrays.copyOfRange(s.wDims(), 2, nd);
        int n = s.yDims()[0], kOut = s.yDims()[1], cg = s.wDims()[1], kg = kOut / s.groups();
        for (int b = 0; b < n; b++)
            for (int k = 0; k < kOut; k++)
                for (long oe = 0; oe < count(oDims); oe++) {
                    int[] o = unravel(oe, oDims);
                    long yOff = (long) b * s.yStrides()[0] + (long) k * s.yStrides()[1];
                    for (int i = 0; i < sp; i++) yOff += (long) o[i] * s.yStrides()[i + 2];
                    int g = k / kg;
                    for (long je = 0; je < count(kDims); je++) {
                        int[] j = unravel(je, kDims);
                        long xOff = (long) b * s.xStrides()[0];
                        boolean inside = true;
                        long tap = 0;
                        for (int i = 0; i < sp; i++) {
                            long pos = (long) o[i] * s.stride()[i] + (long) j[i] * s.dilation()[i] - s.pad()[i];
                            if (pos < 0 || pos >= s.xDims()[i + 2]) inside = false;
                            else xOff += pos * s.xStrides()[i + 2];
                            int jf = s.flip() ? kDims[i] - 1 - j[i] : j[i];
                            tap = tap * kDims[i] + jf;
                        }
                        if (!inside) continue;
                        for (int c = 0; c < cg; c++) {
                            // NHWC-packed filter: (K, spatial..., C/groups)
                            long wIdx = ((long) k * count(kDims) + tap) * cg + c;
                            v.at(xOff + (long) (g * cg + c) * s.xStrides()[1], yOff, wIdx);
                        }
                    }
                }
    }

    /** cudnnConvolutionForward with alpha 1, beta 0. */
    static double[] forward(Cudnn.ConvSpec s, double[] x, double[] w) {
        double[] y = new double[(int) count(s.yDims())];
        walk(s, (xOff, yOff, wIdx) -> y[(int) yOff] += x[(int) xOff] * w[(int) wIdx]);
        return y;
    }

    /** cudnnConvolutionBackwardFilter with alpha 1, beta 0: the gradient of {@link #forward} in w (packed NHWC). */
    static double[] backwardFilter(Cudnn.ConvSpec s, double[] x, double[] dy) {
        double[] dw = new double[(int) count(s.wDims())];
        walk(s, (xOff, yOff, wIdx) -> dw[(int) wIdx] += x[(int) xOff] * dy[(int) yOff]);
        return dw;
    }

    /** cudnnConvolutionBackwardData with alpha 1, beta 0: the adjoint of {@link #forward} in x. */
    static double[] backwardData(Cudnn.ConvSpec s, double[] dy, double[] w) {
        double[] dx = new double[(int) count(s.xDims())];
        walk(s, (xOff, yOff, wIdx) -> dx[(int) xOff] += dy[(int) yOff] * w[(int) wIdx]);
        return dx;
    }
}
