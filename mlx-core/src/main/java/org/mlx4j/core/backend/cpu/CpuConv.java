package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.Convolution;

/**
 * The {@link Convolution} kernel: a GEMM over patches, (output positions) x (taps x C_in/groups)
 * times (taps x C_in/groups) x (C_out/groups), the weight read in place through its strides where
 * they allow. Which path computes it depends on the shape (all measured on the Fashion-MNIST CNN):
 * <ul>
 * <li>Depthwise-style (one input channel per group): direct accumulation, tap by tap.
 * <li>1x1 without stride, padding or dilation: the input is the patch matrix; one GEMM (BLAS allowed).
 * <li>Few output rows, a long reduction (a weight gradient, whose "channels" are the batch and whose
 *     "kernel" is the output cotangent): {@link Geometry#runReduction} splits the reduction over the
 *     workers, each accumulating a small partial product.
 * <li>float32 with the Vector API, one group: {@link ConvVec#direct2d} for short reductions (a first
 *     layer); an implicit GEMM ({@link ConvVec#kernel8}) that reads 8-pixel panels straight from the
 *     input when the output channels fit one register tile; else the patches transposed from the
 *     input straight into the GEMM's packed panels. No patch matrix is written.
 * <li>Otherwise im2col: tiles of about 512 KB of patch rows, each gathered and multiplied by one
 *     worker with the serial Java GEMM while in cache (few rows with several groups: chunks gathered
 *     in parallel, then one parallel GEMM).
 * </ul>
 * The reduction index of a patch row runs taps-major ((k..., c), the weight's own order) or, when
 * the weight is a view whose axes walk flat only in (c, k...) order (the transposed cotangent of a
 * weight gradient), channel-major, sparing a transposing copy of the largest operand. A flipped
 * kernel that is copied anyway is copied flipped, so that adjacent taps stay adjacent runs of the
 * input. float64 runs through the same GEMM paths, float16/bfloat16 through float32.
 */
final class CpuConv {
    private CpuConv() {}

    private static final long TILE_BYTES = 512L << 10;
    private static final long CHUNK_BYTES = 64L << 20;
    private static final int MIN_TILE_ROWS = 32;
    /** Reductions (taps x input channels) up to this length skip the GEMM where a direct kernel exists. */
    private static final int SMALL_REDUCTION = 32;
    private static final MemorySegment ZEROS = java.lang.foreign.Arena.global().allocate(64L << 10, 64);
    /** Reduction path: most elements of one worker's partial output and of its (tap, output position) table. */
    private static final long MAX_PARTIAL = 1L << 20;
    private static final long MAX_TAP_TABLE = 1L << 22;

    static void register(CpuBackend.Registry r) {
        r.put(Convolution.class, CpuConv::conv);
    }

    static void conv(Array node) {
        Convolution p = (Convolution) node.primitive();
        Array x = node.input(0), w = node.input(1);
        DType t = node.dtype();
        Buffer ob = CpuElementwise.alloc(node);
        if (node.size() == 0) {
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        boolean f64 = t == DType.FLOAT64;
        boolean viaF32 = !f64 && t != DType.FLOAT32;
        ArrayData xd = viaF32 ? toF32(x) : x.data();
        ArrayData wd = viaF32 ? toF32(w) : w.data();
        Buffer out = viaF32 ? Allocator.global().allocate(node.size() * 4) : ob;
        try {
            int es = f64 ? 8 : 4;
            Geometry g = new Geometry(p, x.shape().dims(), w.shape().dims(), node.shape().dims(), es);
            int d = g.d;
            int[] wdims = w.shape().dims();
            long[] xst = xd.strides();
            boolean negative = false;
            for (long v : xst) negative |= v < 0;
            boolean flip = p.flip();
            int[] cFirst = new int[d + 1];
            cFirst[0] = d + 1;
            for (int i = 1; i <= d; i++) cFirst[i] = i;
            // the reduction path gathers runs of the batch, or (a channel-major weight, few batch entries) runs along the last axis
            boolean cmWeight = flatStep(wdims, wd.strides(), cFirst) > 0 && (wd.strides()[0] > 0 || g.cOut == 1);
            if (!negative && g.reductionShaped() && (g.n == 1 || xst[0] == 1 || (cmWeight && g.n < 8 && xst[d] == 1))) {
                // few output rows, a long reduction whose "channels" are a batch (the weight gradient):
                // the weight is read in place in channel-major or taps-major order, else densified
                boolean cm = true;
                long ps = flatStep(wdims, wd.strides(), cFirst);
                if (ps == Long.MIN_VALUE) {
                    cm = false;
                    ps = flatStep(wdims, wd.strides(), range(1, d + 2));
                }
                long so = wd.strides()[0];
                if (ps <= 0 || (so <= 0 && g.cOut > 1)) {
                    if (!wd.rowContiguous()) wd = CpuElementwise.denseCopy(w);
                    ps = 1;
                    so = g.kdim;
                    cm = false;
                }
                g.index(flip);
                g.layout(xst, cm, ps, so);
                g.runReduction(xd.buffer().hostSegment(), xd.offset(), wd.buffer().hostSegment(), wd.offset(), out.segment());
            } else {
                // the weight as a (reduction x C_out) matrix read in place, else a dense copy read taps-major
                boolean denseOnly = g.depthwise() || g.kdim == 0;
                long ps = denseOnly ? Long.MIN_VALUE : flatStep(wdims, wd.strides(), range(1, d + 2));
                boolean channelMajor = false;
                // channel-major patches gather element by element; worth it only to spare copying a large
                // weight (the transposed cotangent of a weight gradient), or when channel runs are short anyway
                boolean largeWeight = 8 * w.size() >= g.rows * g.kdim * g.groups || g.cig < 8;
                if (ps == Long.MIN_VALUE && !denseOnly && largeWeight) {
                    ps = flatStep(wdims, wd.strides(), cFirst);
                    channelMajor = ps != Long.MIN_VALUE;
                }
                long so = wd.strides()[0];
                if (ps <= 0 || (so <= 0 && g.cOut > 1) || (flip && !denseOnly && !channelMajor && g.kvol > 1)) {
                    // a copy anyway: a flipped kernel is copied flipped, so that the patches of adjacent
                    // taps stay adjacent runs of the input
                    boolean reverse = flip && !g.depthwise() && g.kdim > 0 && g.kvol > 1;
                    if (reverse) {
                        ArrayData rd = reversedCopy(wd, wdims, es);
                        if (wd.buffer() != w.data().buffer()) wd.buffer().release();
                        wd = rd;
                        flip = false;
                    } else if (!wd.rowContiguous()) {
                        wd = CpuElementwise.denseCopy(w); // converted copies are dense already
                    }
                    ps = 1;
                    so = g.kdim;
                    channelMajor = false;
                }
                // the input: gathered through its strides where that reads runs of memory, else densified
                boolean needDense = g.direct || g.depthwise() || negative
                        || (channelMajor ? xst[d] != 1 && xst[d + 1] != 1 : xst[d + 1] != 1);
                if (needDense && !xd.rowContiguous()) xd = CpuElementwise.denseCopy(x);
                g.index(flip);
                g.layout(needDense ? x.shape().strides() : xd.strides(), channelMajor, ps, so);
                g.run(xd.buffer().hostSegment(), xd.offset(), wd.buffer().hostSegment(), wd.offset(), out.segment());
            }
            if (viaF32) {
                MemorySegment src = out.segment(), dst = ob.segment();
                Parallel.forRange(node.size(), 1 << 15, (s, e) -> {
                    for (long i = s; i < e; i++) Elem.setDouble(t, dst, i, src.getAtIndex(Elem.F32, i));
                });
            }
        } finally {
            if (xd.buffer() != x.data().buffer()) xd.buffer().release();
            if (wd.buffer() != w.data().buffer()) wd.buffer().release();
            if (out != ob) out.release();
        }
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    /** A dense copy of a weight {@code (C_out, k..., C_in/g)} with its spatial axes reversed. */
    private static ArrayData reversedCopy(ArrayData wd, int[] dims, int es) {
        long size = 1;
        for (int v : dims) size *= v;
        Buffer b = Allocator.global().allocate(size * es);
        long[] st = wd.strides().clone();
        long off = wd.offset();
        for (int i = 1; i < dims.length - 1; i++) {
            off += (long) (dims[i] - 1) * st[i];
            st[i] = -st[i];
        }
        MemorySegment ws = wd.buffer().hostSegment(), os = b.segment();
        ElementwiseLoop.run(dims, new long[][] {new Shape(dims).strides(), st}, new long[] {0, off}, (o, sd, len) -> {
            if (es == 8) for (int i = 0; i < len; i++) os.setAtIndex(Elem.F64, o[0] + i * sd[0], ws.getAtIndex(Elem.F64, o[1] + i * sd[1]));
            else for (int i = 0; i < len; i++) os.setAtIndex(Elem.F32, o[0] + i * sd[0], ws.getAtIndex(Elem.F32, o[1] + i * sd[1]));
        });
        return ArrayData.contiguous(b, new Shape(dims));
    }

    /**
     * The step of one flat axis walking {@code axes} (outermost first) of a view, or
     * {@code Long.MIN_VALUE} when their strides do not nest like that. Size-one axes do not count.
     */
    static long flatStep(int[] dims, long[] strides, int[] axes) {
        long step = Long.MIN_VALUE, span = 1;
        for (int i = axes.length - 1; i >= 0; i--) {
            int a = axes[i];
            if (dims[a] == 1) continue;
            if (step == Long.MIN_VALUE) {
                step = strides[a];
            } else if (strides[a] != step * span) {
                return Long.MIN_VALUE;
            }
            span *= dims[a];
        }
        return step == Long.MIN_VALUE ? 1 : step;
    }

    /** A dense float32 copy of a float16/bfloat16 array. */
    private static ArrayData toF32(Array x) {
        ArrayData xd = x.data();
        DType t = x.dtype();
        Buffer b = Allocator.global().allocate(x.size() * 4);
        MemorySegment xs = xd.buffer().hostSegment(), os = b.segment();
        ElementwiseLoop.run(x.shape().dims(), new long[][] {x.shape().strides(), xd.strides()}, new long[] {0, xd.offset()},
                (off, st, len) -> {
                    for (int i = 0; i < len; i++) os.setAtIndex(Elem.F32, off[0] + i, (float) Elem.getDouble(t, xs, off[1] + i * st[1]));
                });
        return ArrayData.contiguous(b, x.shape());
    }

    /** One output row of {@link Geometry#forRows}: its index from the walk's start and its taps' input offsets. */
    @FunctionalInterface
    private interface RowBody { void row(long r, long[] tapOffsets); }

    /** Sizes, index tables and operand layouts of one convolution; {@link #run} computes it. */
    private static final class Geometry {
        final Convolution p;
        final int d, n, cIn, cOut, groups, cig, cog, es;
        final int[] inDims, outDims, k;
        final int kvol, kdim;
        final long rows;
        /** Per spatial axis, {@code idx[i][o*k + j]}: input index seen by output o at tap j, or -1 for padding; set by index(). */
        int[][] idx;
        final boolean direct;
        // set by layout(): input strides (batch, spatial..., channel), tap offset tables, weight matrix view
        long[] xStride;
        long[][] offTab;
        boolean channelMajor;
        long wStep, wRow;

        Geometry(Convolution p, int[] in, int[] wt, int[] out, int es) {
            this.es = es;
            this.p = p;
            d = in.length - 2;
            n = in[0];
            cIn = in[d + 1];
            cOut = out[d + 1];
            groups = p.groups();
            cig = cIn / groups;
            cog = cOut / groups;
            inDims = java.util.Arrays.copyOfRange(in, 1, d + 1);
            outDims = java.util.Arrays.copyOfRange(out, 1, d + 1);
            k = java.util.Arrays.copyOfRange(wt, 1, d + 1);
            int kv = 1;
            long r = n;
            boolean dir = true;
            for (int i = 0; i < d; i++) {
                kv *= k[i];
                r *= outDims[i];
                dir &= k[i] == 1 && p.stride()[i] == 1 && p.paddingLo()[i] == 0 && p.inputDilation()[i] == 1 && outDims[i] == in[i + 1];
            }
            kvol = kv;
            kdim = kv * cig;
            rows = r;
            direct = dir;
        }

        /** Builds the per-axis index tables, reading the kernel flipped when {@code flip}. */
        void index(boolean flip) {
            idx = new int[d][];
            for (int i = 0; i < d; i++) {
                int sz = inDims[i], s = p.stride()[i], lo = p.paddingLo()[i], kd = p.kernelDilation()[i], a = p.inputDilation()[i];
                idx[i] = new int[outDims[i] * k[i]];
                for (int o = 0; o < outDims[i]; o++) {
                    for (int j = 0; j < k[i]; j++) {
                        int jj = flip ? k[i] - 1 - j : j;
                        long pos = (long) o * s + (long) jj * kd - lo; // position in the dilated input
                        int v = -1;
                        if (pos >= 0 && pos % a == 0 && pos / a < sz) v = (int) (pos / a);
                        idx[i][o * k[i] + j] = v;
                    }
                }
            }
        }

        /**
         * Few output rows and a long reduction (a weight gradient: the "channels" are the batch, the
         * "kernel" is the output cotangent): {@link #runReduction} splits the reduction instead of the rows.
         */
        boolean reductionShaped() {
            long jvol = n == 0 ? 0 : rows / n;
            return groups == 1 && !direct && kdim > 0 && rows > 0 && kdim >= 4 * rows && rows * cOut <= MAX_PARTIAL
                    && (long) kvol * jvol <= MAX_TAP_TABLE;
        }

        boolean depthwise() { return groups > 1 && cig == 1; }

        /**
         * Fixes the operand layouts: input element strides (non-negative; channel stride 1 unless
         * channel-major), and the weight read as B[p, o] = w[wOff + o*row + p*step].
         */
        void layout(long[] inStrides, boolean cm, long step, long row) {
            xStride = inStrides;
            channelMajor = cm;
            wStep = step;
            wRow = row;
            offTab = new long[d][];
            for (int i = 0; i < d; i++) {
                offTab[i] = new long[idx[i].length];
                for (int q = 0; q < idx[i].length; q++) offTab[i][q] = idx[i][q] < 0 ? -1 : idx[i][q] * xStride[i + 1];
            }
        }

        void run(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            if (kdim == 0) {
                os.fill((byte) 0);
                return;
            }
            if (depthwise()) {
                depthwise(xs, xo, ws, wo, os);
                return;
            }
            if (direct) {
                // 1x1: the dense input is the patch matrix (rows x C_in); group g starts at column g*cig
                long step = 1L << 20;
                for (long r0 = 0; r0 < rows; r0 += step) {
                    long nr = Math.min(step, rows - r0);
                    for (int g = 0; g < groups; g++) {
                        gemm(nr, xs, xo + r0 * cIn + (long) g * cig, cIn, ws, wo + g * cog * wRow, os, r0, g, null);
                    }
                }
                return;
            }
            if (Simd.ENABLED && es == 4 && d == 2 && groups == 1 && kdim <= SMALL_REDUCTION && !channelMajor && xStride[d + 1] == 1
                    && (long) kdim * cOut <= 1 << 16) {
                runDirect2d(xs, xo, ws, wo, os);
                return;
            }
            if (Simd.ENABLED && es == 4 && groups == 1 && !channelMajor && xStride[d + 1] == 1 && ConvVec.FL >= 8
                    && GemmVec.f32(Integer.MAX_VALUE).mr == 8 && GemmVec.f32(Integer.MAX_VALUE).nr == 2 * ConvVec.FL) {
                // no patch matrix: one register tile covers the output channels, or whole vectors of input channels
                // are transposed into the GEMM's panels (measured: each wins where it is chosen)
                if (cOut <= 2 * ConvVec.FL) {
                    runImplicit(xs, xo, ws, wo, os);
                    return;
                }
                if (cig % ConvVec.FL == 0) {
                    runPacked(xs, xo, ws, wo, os);
                    return;
                }
            }
            long t0 = Math.max(1, TILE_BYTES / ((long) kdim * es));
            // whole 8-row panels of the GEMM's packed A: a ragged last panel goes through scalar packing
            long tile = Math.max(MIN_TILE_ROWS, Math.min(t0, ceilDiv(rows, 8L * Parallel.THREADS)) / 8 * 8);
            long tiles = ceilDiv(rows, tile);
            if (tiles >= 4L * Parallel.THREADS) {
                runTiled(tile, tiles, xs, xo, ws, wo, os);
            } else {
                runChunked(xs, xo, ws, wo, os);
            }
        }

        /** float32 2-d convolutions with a short reduction: {@link ConvVec#direct2d}, no patches, no GEMM. */
        private void runDirect2d(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            int step = 2 * ConvVec.FL, cop = roundUp(cOut, step);
            float[] wp = new float[kdim * cop];
            for (int q = 0; q < kdim; q++) {
                for (int co = 0; co < cOut; co++) wp[q * cop + co] = ws.getAtIndex(Elem.F32, wo + co * wRow + q * wStep);
            }
            long[] tH = offTab[0], tW = offTab[1];
            Parallel.forRange(rows, Math.max(64, (1L << 16) / ((long) kdim * cop)), (a, b) ->
                    ConvVec.direct2d(xs, xo, xStride[0], tH, tW, outDims[0], outDims[1], k[0], k[1], cig, wp, cop, cOut, a, b - a, os));
        }

        /**
         * float32 with whole vectors of input channels: the GEMM of {@link #runTiled} with the patches
         * gathered straight into the packed 8-row panels of A (transposed in registers from the input,
         * never written out as rows), and the weight packed once for all workers.
         */
        private void runPacked(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            Gemm.Impl impl = GemmVec.f32(Integer.MAX_VALUE);
            final int mr = impl.mr, nr = impl.nr;
            int nPanels = (cOut + nr - 1) / nr;
            int kc = kdim <= 3 * Gemm.KC ? kdim : Gemm.KC;
            Buffer bb = Allocator.global().allocate((long) nPanels * nr * kdim * 4);
            try {
                MemorySegment bp = bb.segment();
                // B panel j holds columns [j*nr, j*nr+nr) for all k, so the block at k offset pc starts pc*nr further
                for (int j = 0; j < nPanels; j++) {
                    impl.packB(ws, wo + (long) j * nr * wRow, wStep, wRow, kdim, Math.min(nr, cOut - j * nr), bp, (long) j * nr * kdim);
                }
                long t0 = Math.max(mr, TILE_BYTES / ((long) kdim * 4));
                long tile = Math.max(mr, Math.min(t0, ceilDiv(rows, 8L * Parallel.THREADS)) / mr * mr);
                long tiles = ceilDiv(rows, tile);
                Parallel.forRange(tiles, 1, (ta, tb) -> {
                    Buffer pa = Allocator.global().allocate(tile * kdim * 4 + (long) mr * nr * 4);
                    long[] off = new long[mr * kvol];
                    try {
                        MemorySegment ap = pa.segment();
                        long scratch = tile * kdim;
                        for (long ti = ta; ti < tb; ti++) {
                            long r0 = ti * tile;
                            int nrows = (int) Math.min(tile, rows - r0);
                            for (int i0 = 0; i0 < nrows; i0 += mr) {
                                int pr = Math.min(mr, nrows - i0);
                                panelOffsets(r0 + i0, pr, mr, xo, off);
                                long panel = (long) i0 * kdim;
                                for (int t = 0; t < kvol; t++) GemmVec.packRows8(xs, off, t * mr, cig, ap, (panel + (long) t * cig * mr) * 4);
                            }
                            for (int pc = 0; pc < kdim; pc += kc) {
                                int kb = Math.min(kc, kdim - pc);
                                for (int j = 0; j < nPanels; j++) {
                                    int cols = Math.min(nr, cOut - j * nr);
                                    long bOff = (long) j * nr * kdim + (long) pc * nr;
                                    for (int i0 = 0; i0 < nrows; i0 += mr) {
                                        impl.kernel(kb, ap, (long) i0 * kdim + (long) pc * mr, bp, bOff, ap, scratch);
                                        impl.storeTile(ap, scratch, os, (r0 + i0) * cOut + (long) j * nr, cOut, Math.min(mr, nrows - i0), cols, pc > 0);
                                    }
                                }
                            }
                        }
                    } finally {
                        pa.release();
                    }
                });
            } finally {
                bb.release();
            }
        }

        /**
         * float32, at most 2 vectors of output channels, input channels contiguous: an implicit GEMM.
         * The weight is packed once into one B panel; {@link ConvVec#kernel8} reads each panel of 8
         * output pixels straight from the input, tap by tap, so no patch is ever copied (padding reads
         * a row of zeros).
         */
        private void runImplicit(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            final int mr = 8, nr = 2 * ConvVec.FL;
            Buffer bb = Allocator.global().allocate((long) nr * kdim * 4);
            try {
                // the B panel: element (p, col) at p*nr + col, zero beyond C_out
                MemorySegment bp = bb.segment();
                for (int q = 0; q < kdim; q++) {
                    for (int co = 0; co < nr; co++) {
                        bp.setAtIndex(Elem.F32, (long) q * nr + co, co < cOut ? ws.getAtIndex(Elem.F32, wo + co * wRow + q * wStep) : 0f);
                    }
                }
                long panels = ceilDiv(rows, mr);
                Parallel.forRange(panels, Math.max(1, (1L << 18) / ((long) mr * kdim * nr)), (pa, pb) -> {
                    Buffer sc = Allocator.global().allocate(((long) mr * nr + cig) * 4);
                    long[] off = new long[mr * kvol];
                    MemorySegment[] seg = new MemorySegment[mr * kvol];
                    try {
                        MemorySegment ts = sc.segment();
                        long zero = (long) mr * nr * 4;
                        for (int c = 0; c < cig; c++) ts.setAtIndex(Elem.F32, zero / 4 + c, 0f);
                        for (long p = pa; p < pb; p++) {
                            long r0 = p * mr;
                            int pr = (int) Math.min(mr, rows - r0);
                            panelOffsets(r0, pr, mr, xo, off);
                            for (int q = 0; q < off.length; q++) {
                                boolean pad = off[q] < 0;
                                seg[q] = pad ? ts : xs;
                                if (pad) off[q] = zero;
                            }
                            ConvVec.kernel8(kvol, cig, seg, off, bp, 0, ts, 0);
                            for (int i = 0; i < pr; i++) MemorySegment.copy(ts, (long) i * nr * 4, os, (r0 + i) * cOut * 4, cOut * 4L);
                        }
                    } finally {
                        sc.release();
                    }
                });
            } finally {
                bb.release();
            }
        }

        /**
         * For output rows {@code [r0, r0+pr)} of one panel of {@code mr} rows: {@code off[t*mr + i]} = byte
         * offset of the pixel that row i reads at tap t, -1 for padding and for rows past pr.
         */
        private void panelOffsets(long r0, int pr, int mr, long xo, long[] off) {
            if (pr < mr) java.util.Arrays.fill(off, -1);
            if (d != 2) {
                forRows(r0, pr, xo, (r, o) -> {
                    for (int t = 0; t < kvol; t++) off[t * mr + (int) r] = o[t] < 0 ? -1 : o[t] * 4;
                });
                return;
            }
            int oH = outDims[0], oW = outDims[1], kH = k[0], kW = k[1];
            long[] tH = offTab[0], tW = offTab[1];
            int ow = (int) (r0 % oW), oh = (int) (r0 / oW % oH);
            long nb = r0 / oW / oH;
            for (int i = 0; i < pr; i++) {
                long base = xo + nb * xStride[0];
                int hb = oh * kH, wb = ow * kW, t = 0;
                for (int kh = 0; kh < kH; kh++) {
                    long ho = tH[hb + kh];
                    for (int kw = 0; kw < kW; kw++, t++) {
                        long wo = tW[wb + kw];
                        off[t * mr + i] = ho < 0 || wo < 0 ? -1 : (base + ho + wo) * 4;
                    }
                }
                if (++ow == oW) {
                    ow = 0;
                    if (++oh == oH) {
                        oh = 0;
                        nb++;
                    }
                }
            }
        }

        /**
         * Each worker gathers and multiplies whole tiles of output rows, with the Java GEMM on its own
         * thread, straight into the group's columns of the output.
         */
        private void runTiled(long tile, long tiles, MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            boolean f64 = es == 8;
            Parallel.forRange(tiles, 1, (ta, tb) -> {
                Buffer patches = Allocator.global().allocate(tile * kdim * es);
                try {
                    MemorySegment ps = patches.segment();
                    for (long ti = ta; ti < tb; ti++) {
                        long r0 = ti * tile, nr = Math.min(tile, rows - r0);
                        for (int g = 0; g < groups; g++) {
                            im2col(r0, nr, g, xs, xo, ps);
                            Gemm.serial(f64, false, (int) nr, cog, kdim, ps, 0, kdim, 1, ws, wo + g * cog * wRow, wStep, wRow,
                                    os, r0 * cOut + (long) g * cog, cOut);
                        }
                    }
                } finally {
                    patches.release();
                }
            });
        }

        /**
         * Splits the reduction (kdim) instead of the few output rows: each worker gathers tiles of
         * reduction rows r and accumulates weight x patches into its own small partial product; the
         * partials are summed and transposed into the output (b, j..., C_out) at the end. The patches
         * of a tile are gathered along whichever axis reads runs of the input: Q[r, (j, b)] =
         * x[b, pos(j, tap(r)), chan(r)] with the batch b innermost where the batch is contiguous (a
         * weight gradient, whose batch is the input's channels), else its transpose Q^T[(j, b), r]
         * along the last kernel axis (a single input channel).
         */
        void runReduction(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            boolean f64 = es == 8;
            int jvol = (int) (rows / n), ncol = (int) rows;
            long[] tab = tapTable(jvol);
            boolean columns = channelMajor && (n != 1 && xStride[0] != 1 || n < 8 && xStride[d] == 1);
            long[][] seg = columns ? tapSegments(tab, jvol) : null;
            // C = W (C_out x kdim) * Q (kdim x ncol), or its transpose Q^T * W^T: whichever pads less to the register tile
            int nrTile = f64 ? 16 : 32;
            boolean wFirst = !columns && (long) roundUp(cOut, 8) * roundUp(ncol, nrTile) <= (long) roundUp(ncol, 8) * roundUp(cOut, nrTile);
            long tile = Math.max(16, Math.min(TILE_BYTES / ((long) ncol * es), ceilDiv(kdim, 4L * Parallel.THREADS)));
            long tiles = ceilDiv(kdim, tile);
            // float32, whole register tiles of batch and output channels: the listed kernel reads both operands in place
            final int nrv = Simd.ENABLED ? 2 * ConvVec.FL : 0;
            boolean listed = Simd.ENABLED && !f64 && wFirst && xStride[0] == 1 && n % nrv == 0 && cOut % 8 == 0;
            java.util.List<Buffer> partials = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            try {
                Parallel.forRange(tiles, 1, (ta, tb) -> {
                    Buffer acc = Allocator.global().allocate((long) cOut * ncol * es);
                    partials.add(acc);
                    Buffer q = Allocator.global().allocate(listed ? 8L * nrv * 4 : tile * ncol * es);
                    try {
                        MemorySegment qs = q.segment(), as = acc.segment();
                        if (listed) {
                            as.fill((byte) 0);
                            long[] aOff = new long[(int) tile], bOff = new long[(int) tile];
                            Gemm.Impl st = GemmVec.f32(Integer.MAX_VALUE);
                            for (long ti = ta; ti < tb; ti++) {
                                long r0 = ti * tile;
                                int nr = (int) Math.min(tile, kdim - r0);
                                for (int j = 0; j < jvol; j++) {
                                    int m = listReduction(r0, nr, j, jvol, tab, xo, wo, aOff, bOff);
                                    for (int bq = 0; bq < n; bq += nrv) {
                                        for (int co = 0; co < cOut; co += 8) {
                                            ConvVec.kernelListed(m, aOff, co * wRow * 4, bOff, bq * 4L, ws, wRow * 4, xs, qs, 0);
                                            st.storeTile(qs, 0, as, (long) co * ncol + (long) j * n + bq, ncol, 8, nrv, true);
                                        }
                                    }
                                }
                            }
                            return;
                        }
                        for (long ti = ta; ti < tb; ti++) {
                            long r0 = ti * tile;
                            int nr = (int) Math.min(tile, kdim - r0);
                            long w0 = wo + r0 * wStep;
                            if (columns) {
                                gatherColumns(r0, nr, jvol, seg, xs, xo, qs, tile);
                                Gemm.serial(f64, ti > ta, ncol, cOut, nr, qs, 0, tile, 1, ws, w0, wStep, wRow, as, 0, cOut);
                                continue;
                            }
                            gatherReduction(r0, nr, jvol, tab, xs, xo, qs);
                            if (wFirst) Gemm.serial(f64, ti > ta, cOut, ncol, nr, ws, w0, wRow, wStep, qs, 0, ncol, 1, as, 0, ncol);
                            else Gemm.serial(f64, ti > ta, ncol, cOut, nr, qs, 0, 1, ncol, ws, w0, wStep, wRow, as, 0, cOut);
                        }
                    } finally {
                        q.release();
                    }
                });
                MemorySegment sum = partials.get(0).segment();
                long len = (long) cOut * ncol;
                for (int i = 1; i < partials.size(); i++) {
                    MemorySegment o = partials.get(i).segment();
                    if (f64) for (long e = 0; e < len; e++) sum.setAtIndex(Elem.F64, e, sum.getAtIndex(Elem.F64, e) + o.getAtIndex(Elem.F64, e));
                    else for (long e = 0; e < len; e++) sum.setAtIndex(Elem.F32, e, sum.getAtIndex(Elem.F32, e) + o.getAtIndex(Elem.F32, e));
                }
                // column (j, b) of C is output row (b, j)
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < jvol; j++) {
                        long col = (long) j * n + b, orow = ((long) b * jvol + j) * cOut;
                        for (int co = 0; co < cOut; co++) {
                            long src = wFirst ? co * (long) ncol + col : col * cOut + co;
                            if (f64) os.setAtIndex(Elem.F64, orow + co, sum.getAtIndex(Elem.F64, src));
                            else os.setAtIndex(Elem.F32, orow + co, sum.getAtIndex(Elem.F32, src));
                        }
                    }
                }
            } finally {
                for (Buffer b : partials) b.release();
            }
        }

        /**
         * For each output position j, the taps cut into segments that read successive input elements
         * (source offset at the segment's first tap) or only padding (-1): {@code seg[j]} holds
         * triples (first tap, length, source).
         */
        private long[][] tapSegments(long[] tab, int jvol) {
            long[][] seg = new long[jvol][];
            long[] buf = new long[3 * (kvol + 1)];
            for (int j = 0; j < jvol; j++) {
                int m = 0, t = 0;
                while (t < kvol) {
                    long s0 = tab[t * jvol + j];
                    int f = t + 1;
                    if (s0 < 0) {
                        while (f < kvol && tab[f * jvol + j] < 0) f++;
                    } else {
                        while (f < kvol && tab[f * jvol + j] == s0 + (f - t)) f++;
                    }
                    buf[m++] = t;
                    buf[m++] = f - t;
                    buf[m++] = s0;
                    t = f;
                }
                seg[j] = java.util.Arrays.copyOf(buf, m);
            }
            return seg;
        }

        /**
         * Q^T for channel-major reduction rows {@code [r0, r0+nr)}: row (j, b) of {@code dst} (rows
         * {@code ld} apart) holds x[b, pos(j, tap(r)), chan(r)] for each r, copied segment by segment
         * (see {@link #tapSegments}).
         */
        private void gatherColumns(long r0, int nr, int jvol, long[][] seg, MemorySegment xs, long xo, MemorySegment dst, long ld) {
            long cs = xStride[d + 1], bs = xStride[0], r1 = r0 + nr;
            for (long c = r0 / kvol; c * kvol < r1; c++) {
                long cb = c * kvol;
                int tA = (int) Math.max(0, r0 - cb), tB = (int) Math.min(kvol, r1 - cb);
                for (int j = 0; j < jvol; j++) {
                    long[] sj = seg[j];
                    for (int b = 0; b < n; b++) {
                        long at = ((long) j * n + b) * ld + cb - r0, src = xo + b * bs + c * cs;
                        for (int i = 0; i < sj.length; i += 3) {
                            int t0 = (int) sj[i], t1 = t0 + (int) sj[i + 1];
                            if (t1 <= tA) continue;
                            if (t0 >= tB) break;
                            int lo = Math.max(t0, tA), hi = Math.min(t1, tB);
                            if (sj[i + 2] < 0) zero(dst, at + lo, hi - lo);
                            else copy(xs, src + sj[i + 2] + (lo - t0), dst, at + lo, hi - lo);
                        }
                    }
                }
            }
        }

        /**
         * The reduction rows of {@code [r0, r0+nr)} that read input (not padding) at output position j:
         * byte offsets of their weight entry (co = 0) and of their batch run in the input; returns how many.
         */
        private int listReduction(long r0, int nr, int j, int jvol, long[] tab, long xo, long wo, long[] aOff, long[] bOff) {
            long cs = xStride[d + 1];
            int c, t;
            if (channelMajor) {
                c = (int) (r0 / kvol);
                t = (int) (r0 % kvol);
            } else {
                t = (int) (r0 / cig);
                c = (int) (r0 % cig);
            }
            int m = 0;
            for (int r = 0; r < nr; r++) {
                long s0 = tab[t * jvol + j];
                if (s0 >= 0) {
                    aOff[m] = (wo + (r0 + r) * wStep) * 4;
                    bOff[m++] = (xo + s0 + c * cs) * 4;
                }
                if (channelMajor) {
                    if (++t == kvol) {
                        t = 0;
                        c++;
                    }
                } else if (++c == cig) {
                    c = 0;
                    t++;
                }
            }
            return m;
        }

        /** For kernel tap t and output position j (both flat), the offset of input pixel x[0, pos, 0], or -1 for padding. */
        private long[] tapTable(int jvol) {
            long[] tab = new long[kvol * jvol];
            int[] kk = new int[d], jj = new int[d];
            for (int t = 0; t < kvol; t++) {
                java.util.Arrays.fill(jj, 0);
                for (int j = 0; j < jvol; j++) {
                    long off = 0;
                    for (int i = 0; i < d && off >= 0; i++) {
                        long v = offTab[i][jj[i] * k[i] + kk[i]];
                        off = v < 0 ? -1 : off + v;
                    }
                    tab[t * jvol + j] = off;
                    for (int i = d - 1; i >= 0; i--) {
                        if (++jj[i] < outDims[i]) break;
                        jj[i] = 0;
                    }
                }
                for (int i = d - 1; i >= 0; i--) {
                    if (++kk[i] < k[i]) break;
                    kk[i] = 0;
                }
            }
            return tab;
        }

        /**
         * Reduction rows {@code [r0, r0+nr)} of Q into {@code dst} (ncol = jvol * n per row): row r is
         * (channel, tap) in the weight's order, its columns (j, b) read n contiguous batch elements per
         * output position; adjacent positions reading adjacent runs are copied as one.
         */
        private void gatherReduction(long r0, int nr, int jvol, long[] tab, MemorySegment xs, long xo, MemorySegment dst) {
            int ncol = jvol * n;
            long cs = xStride[d + 1];
            int c, t;
            if (channelMajor) {
                c = (int) (r0 / kvol);
                t = (int) (r0 % kvol);
            } else {
                t = (int) (r0 / cig);
                c = (int) (r0 % cig);
            }
            long at = 0;
            for (int r = 0; r < nr; r++, at += ncol) {
                gatherRuns(xs, xo + c * cs, tab, t * jvol, jvol, n, dst, at);
                if (channelMajor) {
                    if (++t == kvol) {
                        t = 0;
                        c++;
                    }
                } else if (++c == cig) {
                    c = 0;
                    t++;
                }
            }
        }

        /**
         * Copies {@code count} entries of {@code len} contiguous elements, entry e from
         * {@code base + off[from + e]} (or zeros where that is -1), to {@code dst[at + e*len ..]}, merging
         * entries whose sources are adjacent into one copy.
         */
        private void gatherRuns(MemorySegment xs, long base, long[] off, int from, int count, int len, MemorySegment dst, long at) {
            int e = 0;
            while (e < count) {
                long s0 = off[from + e];
                int f = e + 1;
                if (s0 < 0) {
                    while (f < count && off[from + f] < 0) f++;
                    zero(dst, at + (long) e * len, (f - e) * len);
                } else {
                    while (f < count && off[from + f] == s0 + (long) (f - e) * len) f++;
                    copy(xs, base + s0, dst, at + (long) e * len, (f - e) * len);
                }
                e = f;
            }
        }

        /** Gathers chunks of rows in parallel and hands each chunk to one (parallel) GEMM. */
        private void runChunked(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            long chunk = Math.max(1, Math.min(rows, CHUNK_BYTES / ((long) kdim * es)));
            Buffer patches = Allocator.global().allocate(chunk * kdim * es);
            Buffer tmp = groups > 1 ? Allocator.global().allocate(chunk * cog * es) : null;
            try {
                MemorySegment ps = patches.segment();
                long grain = Math.max(1, (1L << 16) / Math.max(1, kdim));
                for (long r0 = 0; r0 < rows; r0 += chunk) {
                    long nr = Math.min(chunk, rows - r0), base = r0;
                    for (int g = 0; g < groups; g++) {
                        int gg = g;
                        Parallel.forRange(nr, grain, (a, b) -> {
                            MemorySegment dst = ps.asSlice(a * kdim * es, (b - a) * kdim * es);
                            im2col(base + a, b - a, gg, xs, xo, dst);
                        });
                        gemm(nr, ps, 0, kdim, ws, wo + g * cog * wRow, os, r0, g, tmp);
                    }
                }
            } finally {
                patches.release();
                if (tmp != null) tmp.release();
            }
        }

        /**
         * Output rows {@code [r0, r0+nr)}, columns of group g = A (nr x kdim, rows {@code ars} apart,
         * dense columns) times the group's weight matrix, by a (parallel, possibly BLAS) GEMM. With
         * several groups the product goes to {@code tmp} and is scattered into the output's column block.
         */
        private void gemm(long nr, MemorySegment a, long ao, long ars, MemorySegment ws, long wo, MemorySegment os, long r0, int g,
                          Buffer tmp) {
            boolean f64 = es == 8;
            if (groups == 1) {
                if (f64) Gemm.dgemm((int) nr, cog, kdim, a, ao, ars, 1, ws, wo, wStep, wRow, os, r0 * cOut);
                else Gemm.sgemm((int) nr, cog, kdim, a, ao, ars, 1, ws, wo, wStep, wRow, os, r0 * cOut);
                return;
            }
            boolean own = tmp == null;
            Buffer t = own ? Allocator.global().allocate(nr * cog * es) : tmp;
            try {
                MemorySegment ts = t.segment();
                if (f64) Gemm.dgemm((int) nr, cog, kdim, a, ao, ars, 1, ws, wo, wStep, wRow, ts, 0);
                else Gemm.sgemm((int) nr, cog, kdim, a, ao, ars, 1, ws, wo, wStep, wRow, ts, 0);
                for (long r = 0; r < nr; r++) {
                    MemorySegment.copy(ts, r * cog * es, os, ((r0 + r) * cOut + (long) g * cog) * es, (long) cog * es);
                }
            } finally {
                if (own) t.release();
            }
        }

        /** The patches of output rows {@code [r0, r0+nr)} for group g, into {@code dst} (dense, kdim per row); padding reads 0. */
        void im2col(long r0, long nr, int g, MemorySegment xs, long xo, MemorySegment dst) {
            if (channelMajor) im2colChannelMajor(r0, nr, g, xs, xo, dst);
            else if (d == 2) im2col2d(r0, nr, g, xs, xo, dst);
            else im2colTapsMajor(r0, nr, g, xs, xo, dst);
        }

        /**
         * Walks output rows {@code [r0, r0+nr)} in order, telling {@code body} each row's position
         * (relative to r0) and, per kernel tap in the weight's order, the element offset of input
         * pixel {@code x[n, pos, 0]} it reads, or -1 where it reads padding.
         */
        void forRows(long r0, long nr, long xo, RowBody body) {
            int[] o = new int[d];
            int[] jo = new int[Math.max(0, d - 1)];
            long[] off = new long[kvol];
            long rem = r0;
            for (int i = d - 1; i >= 0; i--) {
                o[i] = (int) (rem % outDims[i]);
                rem /= outDims[i];
            }
            long nb = rem;
            int kl = k[d - 1], outer = kvol / kl;
            long[] tl = offTab[d - 1];
            for (long r = 0; r < nr; r++) {
                long base = xo + nb * xStride[0];
                java.util.Arrays.fill(jo, 0);
                int lb = o[d - 1] * kl, t = 0;
                for (int oc = 0; oc < outer; oc++) {
                    long at = base;
                    boolean ok = true;
                    for (int i = 0; i < d - 1; i++) {
                        long v = offTab[i][o[i] * k[i] + jo[i]];
                        if (v < 0) {
                            ok = false;
                            break;
                        }
                        at += v;
                    }
                    for (int jl = 0; jl < kl; jl++) {
                        long v = ok ? tl[lb + jl] : -1;
                        off[t++] = v < 0 ? -1 : at + v;
                    }
                    for (int i = d - 2; i >= 0; i--) {
                        if (++jo[i] < k[i]) break;
                        jo[i] = 0;
                    }
                }
                body.row(r, off);
                // next output position: an odometer over (N, O...)
                for (int i = d - 1; i >= 0; i--) {
                    if (++o[i] < outDims[i]) break;
                    o[i] = 0;
                    if (i == 0) nb++;
                }
            }
        }

        /** Taps-major patches (kdim = taps x cig, channels contiguous in the input) for any number of spatial axes. */
        private void im2colTapsMajor(long r0, long nr, int g, MemorySegment xs, long xo, MemorySegment dst) {
            long chan = (long) g * cig;
            forRows(r0, nr, xo, (r, off) -> {
                long at = r * kdim;
                for (int t = 0; t < kvol; t++, at += cig) {
                    if (off[t] < 0) zero(dst, at, cig);
                    else copy(xs, off[t] + chan, dst, at, cig);
                }
            });
        }

        /**
         * The 2-d case of {@link #im2colTapsMajor}, without the per-row tap list: the hot path of 2-d
         * networks. Adjacent taps of a kernel row that read adjacent pixels (no dilation, one group)
         * are one copy.
         */
        private void im2col2d(long r0, long nr, int g, MemorySegment xs, long xo, MemorySegment dst) {
            int oH = outDims[0], oW = outDims[1], kH = k[0], kW = k[1], run = kW * cig;
            long[] tH = offTab[0], tW = offTab[1];
            int ow = (int) (r0 % oW), oh = (int) (r0 / oW % oH);
            long nb = r0 / oW / oH, chan = xo + (long) g * cig, at = 0;
            for (long r = 0; r < nr; r++) {
                long base = chan + nb * xStride[0];
                int hb = oh * kH, wb = ow * kW;
                for (int kh = 0; kh < kH; kh++, at += run) {
                    long ho = tH[hb + kh];
                    if (ho < 0) zero(dst, at, run);
                    else gatherRuns(xs, base + ho, tW, wb, kW, cig, dst, at);
                }
                if (++ow == oW) {
                    ow = 0;
                    if (++oh == oH) {
                        oh = 0;
                        nb++;
                    }
                }
            }
        }

        /** Channel-major patches (kdim = cig x taps), reading each input channel along its own strides. */
        private void im2colChannelMajor(long r0, long nr, int g, MemorySegment xs, long xo, MemorySegment dst) {
            long cs = xStride[d + 1];
            forRows(r0, nr, xo, (r, off) -> {
                long at = r * kdim;
                for (int c = 0; c < cig; c++, at += kvol) {
                    long cb = (g * (long) cig + c) * cs;
                    if (es == 4) {
                        for (int t = 0; t < kvol; t++) {
                            dst.setAtIndex(Elem.I32, at + t, off[t] < 0 ? 0 : xs.getAtIndex(Elem.I32, off[t] + cb));
                        }
                    } else {
                        for (int t = 0; t < kvol; t++) {
                            dst.setAtIndex(Elem.I64, at + t, off[t] < 0 ? 0L : xs.getAtIndex(Elem.I64, off[t] + cb));
                        }
                    }
                }
            });
        }

        /**
         * Depthwise-style convolutions (one input channel per group; dense operands): output channel
         * co reads input channel co / cog only, so rows accumulate tap by tap over all channels at
         * once instead of a GEMM per group with a single reduction channel.
         */
        void depthwise(MemorySegment xs, long xo, MemorySegment ws, long wo, MemorySegment os) {
            // weight as (tap, C_out) so the inner loop runs over contiguous channels
            double[] wt = new double[kvol * cOut];
            for (int co = 0; co < cOut; co++) {
                for (int t = 0; t < kvol; t++) wt[t * cOut + co] = es == 8 ? ws.getAtIndex(Elem.F64, wo + (long) co * kvol + t)
                        : ws.getAtIndex(Elem.F32, wo + (long) co * kvol + t);
            }
            Parallel.forRange(rows, Math.max(1, 16384 / Math.max(1, (long) kvol * cOut)), (ra, rb) -> {
                double[] acc = new double[cOut];
                double[] xv = new double[cIn];
                forRows(ra, rb - ra, xo, (r, off) -> {
                    java.util.Arrays.fill(acc, 0);
                    for (int t = 0; t < kvol; t++) {
                        long src = off[t];
                        if (src < 0) continue;
                        if (es == 8) for (int c = 0; c < cIn; c++) xv[c] = xs.getAtIndex(Elem.F64, src + c);
                        else for (int c = 0; c < cIn; c++) xv[c] = xs.getAtIndex(Elem.F32, src + c);
                        int wb = t * cOut;
                        if (cog == 1) {
                            for (int c = 0; c < cOut; c++) acc[c] += xv[c] * wt[wb + c];
                        } else {
                            for (int co = 0; co < cOut; co++) acc[co] += xv[co / cog] * wt[wb + co];
                        }
                    }
                    long ob = (ra + r) * cOut;
                    if (es == 8) for (int co = 0; co < cOut; co++) os.setAtIndex(Elem.F64, ob + co, acc[co]);
                    else for (int co = 0; co < cOut; co++) os.setAtIndex(Elem.F32, ob + co, (float) acc[co]);
                });
            });
        }

        private void zero(MemorySegment dst, long at, int len) {
            if (len >= 16) {
                // copies from a block of zeros: a slice to fill() is an allocation the JIT does not remove here
                long bytes = (long) len * es, to = at * es;
                for (long done = 0; done < bytes; done += ZEROS.byteSize()) {
                    MemorySegment.copy(ZEROS, 0, dst, to + done, Math.min(ZEROS.byteSize(), bytes - done));
                }
            } else if (es == 4) {
                for (int c = 0; c < len; c++) dst.setAtIndex(Elem.I32, at + c, 0);
            } else {
                for (int c = 0; c < len; c++) dst.setAtIndex(Elem.I64, at + c, 0L);
            }
        }

        private void copy(MemorySegment src, long from, MemorySegment dst, long at, int len) {
            if (len >= 8) {
                MemorySegment.copy(src, from * es, dst, at * es, (long) len * es);
            } else if (es == 4) {
                for (int c = 0; c < len; c++) dst.setAtIndex(Elem.I32, at + c, src.getAtIndex(Elem.I32, from + c));
            } else {
                for (int c = 0; c < len; c++) dst.setAtIndex(Elem.I64, at + c, src.getAtIndex(Elem.I64, from + c));
            }
        }
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    private static int roundUp(int a, int b) { return (a + b - 1) / b * b; }
}
