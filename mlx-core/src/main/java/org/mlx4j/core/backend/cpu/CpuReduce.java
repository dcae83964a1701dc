package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.ReduceOp;

/**
 * CPU reductions, and the one registration place of the reduction family (softmax, scans, sorting).
 *
 * <p>float32 and float64 sum/prod/max/min first merge the input's axes (dropping size-one axes and
 * joining neighbours that are contiguous with each other), then take one of two loops:
 * <ul>
 *   <li>row accumulation, when the innermost axis is kept and dense (a reduction over leading
 *       axes such as a bias gradient): whole input rows are combined into an accumulator row with
 *       vector ops, in parallel over column blocks and chunks of rows;</li>
 *   <li>per output, otherwise: each output reduces its sub-array, the innermost reduced axis as a
 *       (vectorized when contiguous) block; one large dense block is split into parallel chunks.</li>
 * </ul>
 * Partial results are combined in double. Other dtypes walk the reduced sub-array with an odometer.
 */
final class CpuReduce {
    private CpuReduce() {}

    static void register(CpuBackend.Registry r) {
        r.put(Reduce.class, CpuReduce::reduce);
        r.put(ArgReduce.class, CpuReduce::argReduce);
        CpuSoftmax.register(r);
        CpuNorm.register(r);
        CpuScan.register(r);
        CpuSort.register(r);
    }

    /** Most rows of a chunk summed in float32 before the partials meet in double (bounds rounding growth). */
    static final int ROW_CHUNK = 1024;
    /**
     * Widest accumulator row of one row-accumulation task, in elements: whole rows up to 32 KB stay
     * in L1 while the input streams past (measured: 4096-wide blocks beat 256-1024-wide ones by 2x
     * on a (4096, 4096) sum over axis 0).
     */
    static final int COL_BLOCK = 8192;

    /**
     * The input's axes after dropping size-one axes and merging contiguous neighbours of the same
     * kind. Kept axes stay in order (the output is row-major over them); reduced axes are ordered by
     * decreasing stride, so the last one is the best inner loop.
     */
    record Plan(int[] keptDims, long[] keptStrides, int[] redDims, long[] redStrides, boolean innerKeptDense) {
        static Plan of(int[] dims, long[] strides, int[] axes) {
            int n = dims.length;
            boolean[] red = new boolean[n];
            for (int a : axes) red[a] = true;
            int[] d = new int[n];
            long[] s = new long[n];
            boolean[] r = new boolean[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (dims[i] == 1) continue;
                if (m > 0 && r[m - 1] == red[i] && s[m - 1] == strides[i] * dims[i]) {
                    d[m - 1] *= dims[i];
                    s[m - 1] = strides[i];
                    continue;
                }
                d[m] = dims[i];
                s[m] = strides[i];
                r[m] = red[i];
                m++;
            }
            int nk = 0;
            for (int i = 0; i < m; i++) if (!r[i]) nk++;
            int[] kd = new int[nk], rd = new int[m - nk];
            long[] ks = new long[nk], rs = new long[m - nk];
            int a = 0, b = 0;
            for (int i = 0; i < m; i++) {
                if (r[i]) {
                    rd[b] = d[i];
                    rs[b++] = s[i];
                } else {
                    kd[a] = d[i];
                    ks[a++] = s[i];
                }
            }
            // insertion sort of the (few) reduced axes by decreasing |stride|
            for (int i = 1; i < rd.length; i++) {
                for (int j = i; j > 0 && Math.abs(rs[j - 1]) < Math.abs(rs[j]); j--) {
                    long ts = rs[j]; rs[j] = rs[j - 1]; rs[j - 1] = ts;
                    int td = rd[j]; rd[j] = rd[j - 1]; rd[j - 1] = td;
                }
            }
            boolean innerKept = m > 0 && !r[m - 1] && s[m - 1] == 1 && rd.length > 0;
            return new Plan(kd, ks, rd, rs, innerKept);
        }

        /** Input offset of kept index {@code o} over the first {@code nk} kept axes (row-major). */
        long keptOffset(long base, long o, int nk) {
            long off = base;
            for (int ax = nk - 1; ax >= 0; ax--) {
                off += (o % keptDims[ax]) * keptStrides[ax];
                o /= keptDims[ax];
            }
            return off;
        }

        /** Input offset of reduced index {@code r} over the first {@code nr} reduced axes. */
        long redOffset(long r, int nr) {
            long off = 0;
            for (int ax = nr - 1; ax >= 0; ax--) {
                off += (r % redDims[ax]) * redStrides[ax];
                r /= redDims[ax];
            }
            return off;
        }

        long size(int[] dims, int n) {
            long p = 1;
            for (int i = 0; i < n; i++) p *= dims[i];
            return p;
        }
    }

    static void reduce(Array node) {
        Reduce p = (Reduce) node.primitive();
        Array x = node.input(0);
        DType t = x.dtype();
        ReduceOp op = p.op();
        boolean floatOp = op == ReduceOp.SUM || op == ReduceOp.PROD || op == ReduceOp.MAX || op == ReduceOp.MIN;
        if (floatOp && (t == DType.FLOAT32 || t == DType.FLOAT64) && x.size() > 0) {
            ArrayData xd = x.data();
            Plan plan = Plan.of(x.shape().dims(), xd.strides(), p.axes());
            Buffer ob = CpuElementwise.alloc(node);
            MemorySegment xs = xd.buffer().hostSegment(), os = ob.segment();
            if (plan.innerKeptDense()) rowAccumulate(op, t == DType.FLOAT32, plan, xs, xd.offset(), os);
            else perOutput(op, t == DType.FLOAT32, plan, xs, xd.offset(), os, node.size());
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        generic(node);
    }

    // ---------------------------------------------------------------- float32 / float64 loops

    private static void rowAccumulate(ReduceOp op, boolean f32, Plan pl, MemorySegment xs, long base, MemorySegment os) {
        int nk = pl.keptDims().length;
        int inner = pl.keptDims()[nk - 1];
        long outRows = pl.size(pl.keptDims(), nk - 1);
        int nr = pl.redDims().length;
        long rtot = pl.size(pl.redDims(), nr);
        int colBlock = inner <= COL_BLOCK ? inner : COL_BLOCK / 2;
        int nCol = (inner + colBlock - 1) / colBlock;
        // enough row chunks to give every thread work, at most ROW_CHUNK rows each
        long wantChunks = (2L * Parallel.THREADS + outRows * nCol - 1) / (outRows * nCol);
        long rowChunk = Math.min(ROW_CHUNK, Math.max(64, (rtot + wantChunks - 1) / wantChunks));
        int nChunks = (int) ((rtot + rowChunk - 1) / rowChunk);
        long tasks = outRows * nCol * nChunks;
        // partial rows per chunk when a reduced range is split; each task owns its slice of them
        double ident = identity(op);
        float[][] part32 = nChunks > 1 && f32 ? new float[nChunks][] : null;
        double[][] part64 = nChunks > 1 && !f32 ? new double[nChunks][] : null;
        long outN = outRows * inner;
        for (int c = 0; nChunks > 1 && c < nChunks; c++) {
            if (f32) part32[c] = new float[(int) outN];
            else part64[c] = new double[(int) outN];
        }
        long work = colBlock * Math.min(rtot, rowChunk);
        Parallel.forRange(tasks, Math.max(1, (1 << 15) / Math.max(1, work)), (ta, tb) -> {
            float[] acc32 = f32 ? new float[colBlock] : null;
            double[] acc64 = f32 ? null : new double[colBlock];
            for (long task = ta; task < tb; task++) {
                int chunk = (int) (task % nChunks);
                long rest = task / nChunks;
                int col = (int) (rest % nCol);
                long row = rest / nCol;
                int c0 = col * colBlock, len = Math.min(colBlock, inner - c0);
                long r0 = chunk * rowChunk, r1 = Math.min(rtot, r0 + rowChunk);
                long rowBase = pl.keptOffset(base, row, nk - 1) + c0;
                if (f32) {
                    Arrays.fill(acc32, 0, len, (float) ident);
                    for (long r = r0; r < r1; r++) {
                        long xo = rowBase + pl.redOffset(r, nr);
                        if (Simd.ENABLED) {
                            VecReduce.accumulate(op, xs, xo, acc32, 0, len);
                        } else {
                            for (int j = 0; j < len; j++) acc32[j] = (float) combine(op, acc32[j], xs.getAtIndex(Elem.F32, xo + j));
                        }
                    }
                    long oo = row * inner + c0;
                    if (part32 != null) System.arraycopy(acc32, 0, part32[chunk], (int) oo, len);
                    else MemorySegment.copy(acc32, 0, os, Elem.F32, oo * 4, len);
                } else {
                    Arrays.fill(acc64, 0, len, ident);
                    for (long r = r0; r < r1; r++) {
                        long xo = rowBase + pl.redOffset(r, nr);
                        switch (op) {
                            case SUM -> { for (int j = 0; j < len; j++) acc64[j] += xs.getAtIndex(Elem.F64, xo + j); }
                            case PROD -> { for (int j = 0; j < len; j++) acc64[j] *= xs.getAtIndex(Elem.F64, xo + j); }
                            default -> { for (int j = 0; j < len; j++) acc64[j] = combine(op, acc64[j], xs.getAtIndex(Elem.F64, xo + j)); }
                        }
                    }
                    long oo = row * inner + c0;
                    if (part64 != null) System.arraycopy(acc64, 0, part64[chunk], (int) oo, len);
                    else MemorySegment.copy(acc64, 0, os, Elem.F64, oo * 8, len);
                }
            }
        });
        if (nChunks > 1) {
            Parallel.forRange(outN, 1 << 12, (a, b) -> {
                for (long j = a; j < b; j++) {
                    double acc = ident;
                    for (int c = 0; c < nChunks; c++) acc = combine(op, acc, f32 ? part32[c][(int) j] : part64[c][(int) j]);
                    if (f32) os.setAtIndex(Elem.F32, j, (float) acc);
                    else os.setAtIndex(Elem.F64, j, acc);
                }
            });
        }
    }

    private static void perOutput(ReduceOp op, boolean f32, Plan pl, MemorySegment xs, long base, MemorySegment os, long outN) {
        int nk = pl.keptDims().length, nr = pl.redDims().length;
        if (nr == 0) {
            // nothing left to reduce (all reduced axes had size one): a strided copy
            Parallel.forRange(outN, 1 << 15, (a, b) -> {
                for (long o = a; o < b; o++) {
                    long off = pl.keptOffset(base, o, nk);
                    if (f32) os.setAtIndex(Elem.F32, o, xs.getAtIndex(Elem.F32, off));
                    else os.setAtIndex(Elem.F64, o, xs.getAtIndex(Elem.F64, off));
                }
            });
            return;
        }
        int inner = pl.redDims()[nr - 1];
        long innerStride = pl.redStrides()[nr - 1];
        long outerR = pl.size(pl.redDims(), nr - 1);
        long rsize = outerR * inner;
        if (outN == 1 && outerR == 1 && inner > (1 << 16)) {
            // one big block: parallel partial results, combined in order
            int chunks = (int) Math.min(64, (inner + (1 << 16) - 1) >> 16);
            long per = (inner + chunks - 1) / chunks;
            double[] part = new double[chunks];
            long start = pl.keptOffset(base, 0, nk);
            Parallel.forRange(chunks, 1, (a, b) -> {
                for (long c = a; c < b; c++) {
                    long s0 = c * per, s1 = Math.min(inner, s0 + per);
                    part[(int) c] = block(op, f32, xs, start + s0 * innerStride, (int) (s1 - s0), innerStride);
                }
            });
            double acc = identity(op);
            for (double v : part) acc = combine(op, acc, v);
            if (f32) os.setAtIndex(Elem.F32, 0, (float) acc);
            else os.setAtIndex(Elem.F64, 0, acc);
            return;
        }
        Parallel.forRange(outN, Math.max(1, (1 << 15) / Math.max(1, rsize)), (a, b) -> {
            for (long o = a; o < b; o++) {
                long start = pl.keptOffset(base, o, nk);
                double acc = identity(op);
                for (long r = 0; r < outerR; r++) {
                    acc = combine(op, acc, block(op, f32, xs, start + pl.redOffset(r, nr - 1), inner, innerStride));
                }
                if (f32) os.setAtIndex(Elem.F32, o, (float) acc);
                else os.setAtIndex(Elem.F64, o, acc);
            }
        });
    }

    /** {@code op} over {@code len} elements from {@code start} with {@code stride}. */
    static double block(ReduceOp op, boolean f32, MemorySegment xs, long start, int len, long stride) {
        if (f32 && stride == 1) return blockF32(op, xs, start, len);
        double acc = identity(op);
        if (f32) {
            for (int i = 0; i < len; i++) acc = combine(op, acc, xs.getAtIndex(Elem.F32, start + i * stride));
        } else if (op == ReduceOp.SUM) {
            // two accumulators: independent adds pipeline
            double a0 = 0, a1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                a0 += xs.getAtIndex(Elem.F64, start + i * stride);
                a1 += xs.getAtIndex(Elem.F64, start + (i + 1) * stride);
            }
            if (i < len) a0 += xs.getAtIndex(Elem.F64, start + i * stride);
            acc = a0 + a1;
        } else {
            for (int i = 0; i < len; i++) acc = combine(op, acc, xs.getAtIndex(Elem.F64, start + i * stride));
        }
        return acc;
    }

    /** Reduces a dense float32 block. */
    static double blockF32(ReduceOp op, MemorySegment xs, long start, int len) {
        if (Simd.ENABLED) return VecReduce.reduce(op, xs, start, len);
        if (op == ReduceOp.SUM) {
            // scalar loops do not vectorize anyway, so accumulate in double (two chains for the pipeline)
            double a0 = 0, a1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                a0 += xs.getAtIndex(Elem.F32, start + i);
                a1 += xs.getAtIndex(Elem.F32, start + i + 1);
            }
            if (i < len) a0 += xs.getAtIndex(Elem.F32, start + i);
            return a0 + a1;
        }
        double acc = identity(op);
        for (int i = 0; i < len; i++) acc = combine(op, acc, xs.getAtIndex(Elem.F32, start + i));
        return acc;
    }

    // ---------------------------------------------------------------- other dtypes

    /** Splits the input's axes into kept and reduced (dims and strides). */
    record Split(int[] keptDims, long[] keptStrides, int[] redDims, long[] redStrides, long redSize) {
        static Split of(Array x, int[] axes) {
            int n = x.ndim();
            boolean[] red = new boolean[n];
            for (int a : axes) red[a] = true;
            int[] d = x.shape().dims();
            long[] s = x.data().strides();
            int nk = n - axes.length;
            int[] kd = new int[nk], rd = new int[axes.length];
            long[] ks = new long[nk], rs = new long[axes.length];
            int a = 0, b = 0;
            long rsize = 1;
            for (int i = 0; i < n; i++) {
                if (red[i]) {
                    rd[b] = d[i];
                    rs[b++] = s[i];
                    rsize *= d[i];
                } else {
                    kd[a] = d[i];
                    ks[a++] = s[i];
                }
            }
            return new Split(kd, ks, rd, rs, rsize);
        }

        /** Element offset of kept index {@code o} (row-major over keptDims). */
        long keptOffset(long base, long o) {
            long off = base;
            for (int ax = keptDims.length - 1; ax >= 0; ax--) {
                off += (o % keptDims[ax]) * keptStrides[ax];
                o /= keptDims[ax];
            }
            return off;
        }
    }

    /** The odometer walk for every dtype and op (integers accumulate exactly in long). */
    static void generic(Array node) {
        Reduce p = (Reduce) node.primitive();
        Array x = node.input(0);
        Split sp = Split.of(x, p.axes());
        long outN = node.size();
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment(), xs = x.data().buffer().hostSegment();
        long base = x.data().offset();
        DType t = x.dtype(), ot = node.dtype();
        ReduceOp op = p.op();
        long rsize = sp.redSize();
        long grain = Math.max(1, (1 << 15) / Math.max(1, rsize));
        Parallel.forRange(outN, grain, (a, b) -> {
            int[] idx = new int[sp.redDims().length];
            for (long o = a; o < b; o++) {
                long start = sp.keptOffset(base, o);
                Arrays.fill(idx, 0);
                long off = start;
                if (t.isIntegral() && (op == ReduceOp.SUM || op == ReduceOp.PROD) && ot != DType.BOOL) {
                    long lacc = op == ReduceOp.SUM ? 0 : 1;
                    for (long i = 0; i < rsize; i++) {
                        long v = Elem.getLong(t, xs, off);
                        lacc = op == ReduceOp.SUM ? lacc + v : lacc * v;
                        off = step(idx, sp.redDims(), sp.redStrides(), off);
                    }
                    Elem.setLong(ot, os, o, lacc);
                } else {
                    double acc = identity(op);
                    for (long i = 0; i < rsize; i++) {
                        acc = combine(op, acc, Elem.getDouble(t, xs, off));
                        off = step(idx, sp.redDims(), sp.redStrides(), off);
                    }
                    Elem.setDouble(ot, os, o, acc);
                }
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    /** Advances an odometer over {@code dims}; returns the new element offset. */
    static long step(int[] idx, int[] dims, long[] strides, long off) {
        for (int k = dims.length - 1; k >= 0; k--) {
            if (++idx[k] < dims[k]) return off + strides[k];
            off -= strides[k] * (dims[k] - 1);
            idx[k] = 0;
        }
        return off;
    }

    static double identity(ReduceOp op) {
        return switch (op) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case PROD -> acc * v;
            case MAX -> Double.isNaN(v) || Double.isNaN(acc) ? Double.NaN : Math.max(acc, v);
            case MIN -> Double.isNaN(v) || Double.isNaN(acc) ? Double.NaN : Math.min(acc, v);
            case ALL -> acc != 0 && v != 0 ? 1 : 0;
            case ANY -> acc != 0 || v != 0 ? 1 : 0;
        };
    }

    static void argReduce(Array node) {
        ArgReduce p = (ArgReduce) node.primitive();
        Array x = node.input(0);
        Split sp = Split.of(x, new int[] {p.axis()});
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment(), xs = x.data().buffer().hostSegment();
        long base = x.data().offset();
        DType t = x.dtype();
        int len = sp.redDims()[0];
        long stride = sp.redStrides()[0];
        Parallel.forRange(node.size(), Math.max(1, 4096 / Math.max(1, len)), (a, b) -> {
            for (long o = a; o < b; o++) {
                long start = sp.keptOffset(base, o);
                int best = 0;
                double bv = Elem.getDouble(t, xs, start);
                for (int i = 1; i < len && !Double.isNaN(bv); i++) {
                    double v = Elem.getDouble(t, xs, start + i * stride);
                    if (Double.isNaN(v) || (p.max() ? v > bv : v < bv)) {
                        bv = v;
                        best = i;
                    }
                }
                Elem.setLong(DType.UINT32, os, o, best);
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }
}
