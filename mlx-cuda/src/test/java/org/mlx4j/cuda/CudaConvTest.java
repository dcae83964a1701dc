package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Convolution;

/**
 * CudaConv's im2col arithmetic ({@link CudaConv.Geometry#source}) times the GEMM it feeds, checked
 * against the Convolution primitive's definition as a direct loop, on small shapes with stride,
 * both dilations, negative and asymmetric padding, flip and groups, in 1-3 spatial dims, with a
 * strided input; and im2col.cu run on the host gives the same patches.
 */
class CudaConvTest {
    /** A small convolution problem: primitive, shapes, input strides, deterministic data. */
    record Case(Convolution p, int[] x, int[] w) {
        Shape out() { return p.outputShape(new Shape(x), new Shape(w)); }
    }

    static int[] fill(int d, int v) {
        int[] a = new int[d];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static Case[] cases() {
        return new Case[] {
            // 1-D: stride 2, padding (2, 1), kernel dilation 2, flip
            new Case(new Convolution(new int[] {2}, new int[] {2}, new int[] {1}, new int[] {2}, new int[] {1}, 1, true), new int[] {2, 9, 3}, new int[] {4, 3, 3}),
            // 1-D: input dilation 3 (a transposed conv), negative padding crops, groups 2
            new Case(new Convolution(new int[] {1}, new int[] {-1}, new int[] {2}, new int[] {1}, new int[] {3}, 2, false), new int[] {1, 5, 4}, new int[] {6, 2, 2}),
            // 2-D: stride (2, 1), asymmetric padding, dilations mixed, groups 3, flip
            new Case(new Convolution(new int[] {2, 1}, new int[] {1, 0}, new int[] {0, 2}, new int[] {1, 2}, new int[] {2, 1}, 3, true), new int[] {2, 4, 5, 6}, new int[] {3, 3, 2, 2}),
            // 3-D: everything at 1 but padding
            new Case(new Convolution(fill(3, 1), new int[] {1, 0, 1}, new int[] {0, 1, 1}, fill(3, 1), fill(3, 1), 1, false), new int[] {1, 3, 2, 3, 2}, new int[] {2, 2, 2, 2, 2}),
        };
    }

    static double xv(long n, long... i) {
        double v = n * 7 + 1;
        for (long c : i) v = v * 3.1 + c;
        return Math.sin(v);
    }

    /** Input values of a dense (N, S..., C) array, by flat row-major index. */
    static double[] input(int[] dims) {
        int size = 1;
        for (int v : dims) size *= v;
        double[] a = new double[size];
        for (int i = 0; i < size; i++) a[i] = Math.sin(i * 0.37 + 0.1);
        return a;
    }

    static double[] weight(int[] dims) {
        int size = 1;
        for (int v : dims) size *= v;
        double[] a = new double[size];
        for (int i = 0; i < size; i++) a[i] = Math.cos(i * 0.53 + 0.2);
        return a;
    }

    /** The primitive's definition, looping over output, taps and channels directly. */
    static double[] direct(Case c, double[] x, double[] w) {
        Convolution p = c.p();
        int d = p.spatialDims();
        int[] od = c.out().dims();
        long[] xs = new Shape(c.x()).strides(), ws = new Shape(c.w()).strides();
        int cin = c.x()[d + 1], cout = c.w()[0], groups = p.groups(), cig = cin / groups, cog = cout / groups;
        int size = (int) c.out().size();
        double[] out = new double[size];
        int[] pos = new int[d + 2];
        int taps = 1;
        for (int i = 0; i < d; i++) taps *= c.w()[i + 1];
        for (int e = 0; e < size; e++) {
            int r = e;
            for (int a = d + 1; a >= 0; a--) { pos[a] = r % od[a]; r /= od[a]; }
            int co = pos[d + 1], g = co / cog;
            double acc = 0;
            for (int t = 0; t < taps; t++) {
                int[] j = new int[d];
                int tt = t;
                for (int i = d - 1; i >= 0; i--) { j[i] = tt % c.w()[i + 1]; tt /= c.w()[i + 1]; }
                long xoff = pos[0] * xs[0], woff = co * ws[0];
                boolean inside = true;
                for (int i = 0; i < d; i++) {
                    // xPadded[o*s + j*kd] = xDilated[o*s + j*kd - pLo]
                    long q = (long) pos[i + 1] * p.stride()[i] + (long) j[i] * p.kernelDilation()[i] - p.paddingLo()[i];
                    long dil = p.inputDilation()[i];
                    if (q < 0 || q % dil != 0 || q / dil >= c.x()[i + 1]) inside = false;
                    else xoff += q / dil * xs[i + 1];
                    int jw = p.flip() ? c.w()[i + 1] - 1 - j[i] : j[i];
                    woff += jw * ws[i + 1];
                }
                if (!inside) continue;
                for (int ch = 0; ch < cig; ch++) acc += x[(int) (xoff + (g * cig + ch) * xs[d + 1])] * w[(int) (woff + ch)];
            }
            out[e] = acc;
        }
        return out;
    }

    /** Patches through Geometry.source (x read through {@code xStrides} from {@code mem}), then the per-group GEMM. */
    static double[] viaIm2col(Case c, double[] mem, long[] xStrides, double[] w) {
        CudaConv.Geometry g = CudaConv.Geometry.of(c.p(), c.x(), c.w(), c.out().dims());
        long rows = g.rows(), kdim = g.kdim(), cog = g.cog(), cout = g.cout();
        double[] out = new double[(int) (rows * cout)];
        for (int gr = 0; gr < g.groups(); gr++) {
            for (long r = 0; r < rows; r++) {
                for (long co = 0; co < cog; co++) {
                    double acc = 0;
                    for (long k = 0; k < kdim; k++) {
                        long s = g.source(gr, r, k, xStrides);
                        if (s >= 0) acc += mem[(int) s] * w[(int) ((gr * cog + co) * kdim + k)];
                    }
                    out[(int) (r * cout + gr * cog + co)] = acc;
                }
            }
        }
        return out;
    }

    @Test
    void im2colTimesGemmIsTheConvolution() {
        for (Case c : cases()) {
            double[] x = input(c.x()), w = weight(c.w());
            double[] expect = direct(c, x, w);
            assertTrue(expect.length > 0);
            // the reference itself agrees with the CPU backend's kernel
            float[] cpu = c.p().apply(org.mlx4j.core.MX.array(x, c.x()), org.mlx4j.core.MX.array(w, c.w())).toFloatArray();
            for (int i = 0; i < expect.length; i++) assertEquals(expect[i], cpu[i], 1e-5, "CPU element " + i + " of " + c.p());
            assertArrayEquals(expect, viaIm2col(c, x, new Shape(c.x()).strides(), w), 1e-12, c.p().toString());
        }
    }

    @Test
    void im2colReadsAStridedInput() {
        // the input stored channels-first in memory, (N, C, S...), read as the (N, S..., C) view
        for (Case c : cases()) {
            int d = c.p().spatialDims();
            int[] cf = new int[d + 2];
            cf[0] = c.x()[0];
            cf[1] = c.x()[d + 1];
            System.arraycopy(c.x(), 1, cf, 2, d);
            long[] cfs = new Shape(cf).strides();
            long[] view = new long[d + 2];
            view[0] = cfs[0];
            view[d + 1] = cfs[1];
            System.arraycopy(cfs, 2, view, 1, d);
            double[] dense = input(c.x()), mem = new double[dense.length];
            long[] ds = new Shape(c.x()).strides();
            for (int i = 0; i < dense.length; i++) {
                long off = 0, r = i;
                for (int a = d + 1; a >= 0; a--) { off += (r % c.x()[a]) * view[a]; r /= c.x()[a]; }
                mem[(int) off] = dense[i];
            }
            double[] w = weight(c.w());
            assertArrayEquals(direct(c, dense, w), viaIm2col(c, mem, view, w), 1e-12, c.p().toString());
            assertEquals(ds.length, view.length);
        }
    }

    @Test
    void geometryCountsAndChunks() {
        Case c = cases()[2];
        CudaConv.Geometry g = CudaConv.Geometry.of(c.p(), c.x(), c.w(), c.out().dims());
        // axis 1: dilated input 7 + padding 1 - kernel 3 = 5, stride 2: 3; axis 2: 5 + 2 - 3 = 4, stride 1: 5
        assertArrayEquals(new int[] {2, 3, 5, 3}, c.out().dims());
        assertEquals(2 * 3 * 5, g.rows());
        assertEquals(3, g.groups());
        assertEquals(2, g.cig());
        assertEquals(1, g.cog());
        assertEquals(6, g.kvol());
        assertEquals(12, g.kdim());
        assertFalse(g.identityPatches());
        // 3 groups x 12 x 4 bytes = 144 bytes a row
        assertEquals(6, g.chunkRows(960, 4));
        assertEquals(30, g.chunkRows(1L << 30, 4));
        assertEquals(1, g.chunkRows(1, 4));
        Convolution one = new Convolution(fill(2, 1), fill(2, 0), fill(2, 0), fill(2, 3), fill(2, 1), 1, true);
        assertTrue(CudaConv.Geometry.of(one, new int[] {2, 4, 4, 3}, new int[] {5, 1, 1, 3}, new int[] {2, 4, 4, 5}).identityPatches());
        Layout[] l = g.layouts(c.x(), new Shape(c.x()).strides());
        assertArrayEquals(new long[] {2, 4, 5, 6}, l[0].shape());
        assertArrayEquals(new long[] {120, 30, 6, 1}, l[0].strides());
        assertArrayEquals(new long[] {3, 5}, l[1].shape());
        assertArrayEquals(new long[] {3, 2}, l[1].strides());
        assertArrayEquals(new long[] {2, 1}, l[2].shape());
        assertArrayEquals(new long[] {1, 0}, l[2].strides());
        assertArrayEquals(new long[] {1, 2}, l[3].shape());
        assertArrayEquals(new long[] {2, 1}, l[3].strides());
    }

    @Test
    void im2colKernelOnTheHostMatchesGeometry() throws Exception {
        Assumptions.assumeTrue(HostKernels.compiler() != null, "g++ not found: host kernel test skipped");
        for (Case c : cases()) {
            CudaConv.Geometry g = CudaConv.Geometry.of(c.p(), c.x(), c.w(), c.out().dims());
            long[] xs = new Shape(c.x()).strides();
            int size = (int) new Shape(c.x()).size();
            long[] mem = new long[size];
            for (int i = 0; i < size; i++) mem[i] = i + 1; // 0 marks padding in the output
            Layout[] l = g.layouts(c.x(), xs);
            // the middle chunk of rows: rows [start, start + cnt)
            long start = g.rows() / 3, cnt = Math.max(1, g.rows() / 2);
            long total = g.groups() * cnt * g.kdim();
            String main = HostKernels.array("unsigned int", "xm", mem) + "static unsigned int patches[" + total + "];\n"
                    + "mlx_im2col(patches, xm, " + HostKernels.layout(l[0]) + ", " + HostKernels.layout(l[1]) + ", " + HostKernels.layout(l[2])
                    + ", " + HostKernels.layout(l[3]) + ", " + start + "LL, " + cnt + "LL, " + g.groups() + "LL, " + g.cig() + "LL, "
                    + g.kvol() + "LL, " + (c.p().flip() ? 1 : 0) + ");\n" + HostKernels.print("patches", total, false);
            long[] got = HostKernels.longs(HostKernels.run("im2col.cu", Map.of("ELEM_T", "unsigned int"), main));
            long[] expect = new long[(int) total];
            int e = 0;
            for (long gr = 0; gr < g.groups(); gr++)
                for (long r = 0; r < cnt; r++)
                    for (long k = 0; k < g.kdim(); k++) {
                        long s = g.source(gr, start + r, k, xs);
                        expect[e++] = s < 0 ? 0 : mem[(int) s];
                    }
            assertArrayEquals(expect, got, c.p().toString());
        }
    }
}
