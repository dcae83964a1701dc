package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.ReduceOp;

/**
 * CPU reductions. The input is seen as (kept axes) x (reduced axes); when the reduced axes are the
 * trailing ones of dense data each output reduces one contiguous block (vectorized for float32),
 * otherwise an odometer walks the reduced sub-array by strides.
 */
final class CpuReduce {
    private CpuReduce() {}

    static void register(CpuBackend.Registry r) {
        r.put(Reduce.class, CpuReduce::reduce);
        r.put(ArgReduce.class, CpuReduce::argReduce);
    }

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

        /** True when the reduced block is contiguous (trailing axes of dense data). */
        boolean redContiguous() {
            long expect = 1;
            for (int i = redDims.length - 1; i >= 0; i--) {
                if (redDims[i] == 1) continue;
                if (redStrides[i] != expect) return false;
                expect *= redDims[i];
            }
            return true;
        }
    }

    static void reduce(Array node) {
        Reduce p = (Reduce) node.primitive();
        Array x = node.input(0);
        Split sp = Split.of(x, p.axes());
        long outN = node.size();
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment(), xs = x.data().buffer().hostSegment();
        long base = x.data().offset();
        DType t = x.dtype(), ot = node.dtype();
        ReduceOp op = p.op();
        boolean contig = sp.redContiguous();
        long rsize = sp.redSize();
        if (t == DType.FLOAT32 && contig && outN == 1 && rsize > (1 << 16)) {
            // one big dense block: partial sums per chunk, combined in order
            int chunks = (int) Math.min(64, (rsize + (1 << 16) - 1) >> 16);
            long per = (rsize + chunks - 1) / chunks;
            double[] part = new double[chunks];
            long start = sp.keptOffset(base, 0);
            Parallel.forRange(chunks, 1, (a, b) -> {
                for (long c = a; c < b; c++) {
                    long s0 = c * per, s1 = Math.min(rsize, s0 + per);
                    part[(int) c] = blockF32(op, xs, start + s0, (int) (s1 - s0));
                }
            });
            double acc = identity(op);
            for (double v : part) acc = combine(op, acc, v);
            os.setAtIndex(Elem.F32, 0, (float) acc);
        } else {
            long grain = Math.max(1, (1 << 15) / Math.max(1, rsize));
            Parallel.forRange(outN, grain, (a, b) -> {
                int[] idx = new int[sp.redDims().length];
                for (long o = a; o < b; o++) {
                    long start = sp.keptOffset(base, o);
                    double acc;
                    if (t == DType.FLOAT32 && contig) {
                        acc = blockF32(op, xs, start, (int) rsize);
                    } else if (t.isIntegral() && (op == ReduceOp.SUM || op == ReduceOp.PROD) && ot != DType.BOOL) {
                        long lacc = op == ReduceOp.SUM ? 0 : 1;
                        java.util.Arrays.fill(idx, 0);
                        long off = start;
                        for (long i = 0; i < rsize; i++) {
                            long v = Elem.getLong(t, xs, off);
                            lacc = op == ReduceOp.SUM ? lacc + v : lacc * v;
                            off = step(idx, sp.redDims(), sp.redStrides(), off);
                        }
                        Elem.setLong(ot, os, o, lacc);
                        continue;
                    } else {
                        acc = identity(op);
                        java.util.Arrays.fill(idx, 0);
                        long off = start;
                        for (long i = 0; i < rsize; i++) {
                            acc = combine(op, acc, Elem.getDouble(t, xs, off));
                            off = step(idx, sp.redDims(), sp.redStrides(), off);
                        }
                    }
                    Elem.setDouble(ot, os, o, acc);
                }
            });
        }
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

    /** Reduces a dense float32 block. */
    static double blockF32(ReduceOp op, MemorySegment xs, long start, int len) {
        if (Simd.ENABLED && op == ReduceOp.SUM) return VecF32.sum(xs, start, len);
        // Vector API MAX follows Math.max, so NaN propagates as in the scalar path
        if (Simd.ENABLED && op == ReduceOp.MAX && len > 0) return VecF32.max(xs, start, len);
        double acc = identity(op);
        for (int i = 0; i < len; i++) acc = combine(op, acc, xs.getAtIndex(Elem.F32, start + i));
        return acc;
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
