package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.Convolution;
import org.mlx4j.cuda.kernel.IndexingKernels;

/**
 * The {@link Convolution} primitive on the GPU: through cuDNN where it can express the convolution
 * ({@link CudnnConv}), otherwise im2col ({@code im2col.cu}) then one GEMM batched
 * over the channel groups ({@link CudaMatmul#gemm}). The patch matrix of each group is
 * (output rows) x (taps x C_in/groups) in the weight's own order, so the weight
 * {@code (C_out, k..., C_in/groups)} is, per group, the transposed second operand as it lies;
 * group g writes output columns {@code [g*C_out/groups, (g+1)*C_out/groups)}. Rows go in chunks
 * that keep the patch buffer under {@value #MAX_PATCH_BYTES} bytes. A 1x1 kernel without stride,
 * padding or dilation on a dense input uses the input itself as the patch matrix.
 *
 * <p>Float16 and bfloat16 multiply with float32 accumulation and one rounding, as the CPU does;
 * summation order differs from the CPU's, so results agree to rounding, not bit for bit.
 */
final class CudaConv {
    private CudaConv() {}

    /** Largest patch buffer per chunk of rows. */
    static final long MAX_PATCH_BYTES = 256L << 20;

    static void register(CudaKernels t) { t.put(Convolution.class, CudaConv::conv); }

    /**
     * The shapes of one convolution as the im2col kernel and the GEMM see them.
     *
     * @param d      spatial axes
     * @param n      batch
     * @param in     input spatial sizes
     * @param out    output spatial sizes
     * @param k      kernel spatial sizes
     * @param p      the primitive (stride, padding, dilations, groups, flip)
     * @param cin    input channels
     * @param cout   output channels
     */
    record Geometry(int d, long n, int[] in, int[] out, int[] k, Convolution p, long cin, long cout) {
        static Geometry of(Convolution p, int[] xdims, int[] wdims, int[] odims) {
            int d = p.spatialDims();
            if (xdims.length != d + 2 || wdims.length != d + 2 || odims.length != d + 2) {
                throw new IllegalArgumentException("[conv] ranks " + xdims.length + ", " + wdims.length + ", " + odims.length
                        + " do not fit " + d + " spatial axes");
            }
            return new Geometry(d, xdims[0], java.util.Arrays.copyOfRange(xdims, 1, d + 1), java.util.Arrays.copyOfRange(odims, 1, d + 1),
                    java.util.Arrays.copyOfRange(wdims, 1, d + 1), p, xdims[d + 1], wdims[0]);
        }

        int groups() { return p.groups(); }

        long cig() { return cin / groups(); }

        long cog() { return cout / groups(); }

        /** Taps: the product of the kernel sizes. */
        long kvol() {
            long v = 1;
            for (int s : k) v *= s;
            return v;
        }

        /** Reduction length of one group: taps x C_in/groups. */
        long kdim() { return kvol() * cig(); }

        /** Output rows: N x the output spatial sizes. */
        long rows() {
            long r = n;
            for (int s : out) r *= s;
            return r;
        }

        /** True when the patch matrix is the input itself (read densely). */
        boolean identityPatches() {
            if (groups() != 1) return false;
            for (int i = 0; i < d; i++) {
                if (k[i] != 1 || p.stride()[i] != 1 || p.paddingLo()[i] != 0 || p.paddingHi()[i] != 0 || p.inputDilation()[i] != 1) return false;
            }
            return true;
        }

        /** Rows per im2col chunk: as many as fit {@code maxBytes} of patches, at least one. */
        long chunkRows(long maxBytes, int elemBytes) {
            long perRow = Math.max(1, groups() * kdim() * elemBytes);
            return Math.max(1, Math.min(rows(), maxBytes / perRow));
        }

        /**
         * The kernel's geometry structs: the input (shape {@code xdims} and {@code xStrides},
         * unsimplified), then (output sizes, kernel sizes), (stride, paddingLo), (kernel dilation,
         * input dilation) as shape/stride pairs (see {@code im2col.cu}).
         */
        Layout[] layouts(int[] xdims, long[] xStrides) {
            long[] o = new long[d], ks = new long[d], st = new long[d], lo = new long[d], kd = new long[d], id = new long[d];
            for (int i = 0; i < d; i++) {
                o[i] = out[i];
                ks[i] = k[i];
                st[i] = p.stride()[i];
                lo[i] = p.paddingLo()[i];
                kd[i] = p.kernelDilation()[i];
                id[i] = p.inputDilation()[i];
            }
            return new Layout[] {new Layout(Layout.toLong(xdims), xStrides), new Layout(o, ks), new Layout(st, lo), new Layout(kd, id)};
        }

        /**
         * The element offset into the input that patch entry (group {@code g}, output row
         * {@code row}, reduction index {@code kk}) reads, or -1 for a zero (padding or a hole of
         * the input dilation): {@code mlx_im2col}'s arithmetic, kept here so a test can check it
         * against the direct definition.
         */
        long source(long g, long row, long kk, long[] xStrides) {
            long c = kk % cig(), tap = kk / cig(), rr = row, off = 0;
            boolean inside = true;
            for (int i = d - 1; i >= 0; i--) {
                long o = rr % out[i];
                rr /= out[i];
                long j = tap % k[i];
                tap /= k[i];
                if (p.flip()) j = k[i] - 1 - j;
                long idil = p.inputDilation()[i];
                long span = in[i] == 0 ? 0 : (in[i] - 1L) * idil + 1;
                long pos = o * p.stride()[i] + j * p.kernelDilation()[i] - p.paddingLo()[i];
                if (pos < 0 || pos >= span || pos % idil != 0) inside = false;
                else off += pos / idil * xStrides[i + 1];
            }
            return inside ? rr * xStrides[0] + off + (g * cig() + c) * xStrides[d + 1] : -1;
        }
    }

    static void conv(Array node, CudaRuntime rt) {
        Convolution p = (Convolution) node.primitive();
        Array x = node.input(0), w = node.input(1);
        DType t = node.dtype();
        if (!t.isFloating()) throw new UnsupportedOperationException("[Convolution] no CUDA convolution for " + t.mlxName());
        CudaBuffer out = rt.allocate(node.nbytes());
        node.setData(ArrayData.contiguous(out, node.shape()));
        if (node.size() == 0) return;
        int[] xdims = x.shape().dims();
        Geometry g = Geometry.of(p, xdims, w.shape().dims(), node.shape().dims());
        long kdim = g.kdim(), rows = g.rows(), cog = g.cog(), cout = g.cout;
        int groups = g.groups(), es = t.size();
        if (kdim == 0) {
            // nothing to sum: zeros, as the CPU's GEMM over an empty reduction
            rt.zero(out, 0, node.nbytes());
            return;
        }
        if (CudnnConv.run(node, rt, out)) return;
        CudnnConv.count("im2col");
        CudaBuffer wDense = null, patches = null;
        try {
            Ptr wp;
            if (w.data().rowContiguous()) {
                wp = CudaRuntime.ptr(w);
            } else {
                wDense = rt.allocate(w.nbytes());
                CudaIndexing.denseCopy(rt, w, wDense);
                wp = wDense.ptr();
            }
            if (g.identityPatches() && x.data().rowContiguous()) {
                CudaMatmul.gemm(rt, t, false, true, 1, rows, cog, kdim, CudaRuntime.ptr(x), kdim, 0, wp, kdim, 0, out.ptr(), cout, 0);
                return;
            }
            long chunk = g.chunkRows(MAX_PATCH_BYTES, es);
            patches = rt.allocate(groups * chunk * kdim * es);
            Layout[] l = g.layouts(xdims, x.data().strides());
            Ptr xp = CudaRuntime.ptr(x);
            for (long start = 0; start < rows; start += chunk) {
                long cnt = Math.min(chunk, rows - start);
                rt.launch(IndexingKernels.im2col(es), IndexingKernels.IM2COL, Grid.linear(groups * cnt * kdim),
                        patches, xp, l[0], l[1], l[2], l[3], start, cnt, (long) groups, g.cig(), g.kvol(), p.flip() ? 1 : 0);
                // per group g: C[cnt, cog] (row pitch C_out, from column g*cog) = P_g[cnt, kdim] x W_g[cog, kdim]^T
                CudaMatmul.gemm(rt, t, false, true, groups, cnt, cog, kdim, patches.ptr(), kdim, cnt * kdim, wp, kdim, cog * kdim,
                        out.ptr().plus(start * cout * es), cout, cog);
            }
        } finally {
            // the stream orders the queued kernels before any reuse of these blocks
            if (wDense != null) wDense.release();
            if (patches != null) patches.release();
        }
    }
}
