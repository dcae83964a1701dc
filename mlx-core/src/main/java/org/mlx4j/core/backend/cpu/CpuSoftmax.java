package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.LogSumExp;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.Softmax;

/**
 * Softmax and logsumexp over the last axis, rows in parallel. float32 rows take three vectorized
 * passes (max; exp and sum, stored; scale), the row staying in cache between them; other floating
 * dtypes compute in double.
 */
final class CpuSoftmax {
    private CpuSoftmax() {}

    static void register(CpuBackend.Registry r) {
        r.put(Softmax.class, CpuSoftmax::softmax);
        r.put(LogSumExp.class, CpuSoftmax::logsumexp);
    }

    /** One row of a last-axis kernel: input elements {@code [in, in + n)}, output {@code [out, out + n)}, dense. */
    interface RowKernel {
        void row(DType t, MemorySegment xs, long in, MemorySegment os, long out, int n, double[] scratch);
    }

    /**
     * Runs {@code k} over the rows of the last axis in parallel (a strided input made dense first)
     * into a dense output of the input's shape and dtype; scratch holds n doubles per worker.
     */
    static void rowwise(Array node, RowKernel k) {
        Array x = node.input(0);
        Buffer ob = CpuElementwise.alloc(node);
        if (node.size() == 0) {
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        ArrayData xd = TiledCopy.dense(x);
        MemorySegment xs = xd.buffer().hostSegment(), os = ob.segment();
        long xo = xd.offset();
        int n = x.shape().dim(-1);
        long rows = x.size() / n;
        DType t = x.dtype();
        Parallel.forRange(rows, Math.max(1, (1 << 14) / n), (a, b) -> {
            double[] scratch = new double[n];
            for (long r = a; r < b; r++) k.row(t, xs, xo + r * n, os, r * n, n, scratch);
        });
        if (xd != x.data()) xd.buffer().release();
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    static void softmax(Array node) {
        rowwise(node, (t, xs, in, os, out, n, tmp) -> {
            if (t == DType.FLOAT32) {
                if (Simd.ENABLED) VecReduce.softmaxRow(xs, in, os, out, n);
                else softmaxRowF32(xs, in, os, out, n);
                return;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                tmp[i] = Elem.getDouble(t, xs, in + i);
                m = CpuReduce.combine(ReduceOp.MAX, m, tmp[i]);
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                tmp[i] = Math.exp(tmp[i] - m);
                s += tmp[i];
            }
            for (int i = 0; i < n; i++) Elem.setDouble(t, os, out + i, tmp[i] / s);
        });
    }

    private static void softmaxRowF32(MemorySegment xs, long in, MemorySegment os, long out, int n) {
        float m = (float) CpuReduce.blockF32(ReduceOp.MAX, xs, in, n);
        float s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(xs.getAtIndex(Elem.F32, in + i) - m);
            os.setAtIndex(Elem.F32, out + i, e);
            s += e;
        }
        float inv = 1f / s;
        for (int i = 0; i < n; i++) os.setAtIndex(Elem.F32, out + i, os.getAtIndex(Elem.F32, out + i) * inv);
    }

    static void logsumexp(Array node) {
        Array x = node.input(0);
        Buffer ob = CpuElementwise.alloc(node);
        if (node.size() == 0) {
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        int n = x.shape().dim(-1);
        DType t = x.dtype();
        MemorySegment os = ob.segment();
        if (n == 0) {
            for (long r = 0; r < node.size(); r++) Elem.setDouble(t, os, r, Double.NEGATIVE_INFINITY);
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        ArrayData xd = TiledCopy.dense(x);
        MemorySegment xs = xd.buffer().hostSegment();
        long xo = xd.offset();
        Parallel.forRange(node.size(), Math.max(1, (1 << 14) / n), (a, b) -> {
            for (long r = a; r < b; r++) {
                long in = xo + r * n;
                double res;
                if (t == DType.FLOAT32) {
                    float m = (float) CpuReduce.blockF32(ReduceOp.MAX, xs, in, n);
                    if (Float.isInfinite(m) || Float.isNaN(m)) {
                        res = m;
                    } else {
                        double s;
                        if (Simd.ENABLED) {
                            s = VecReduce.sumExp(xs, in, n, m);
                        } else {
                            s = 0;
                            for (int i = 0; i < n; i++) s += (float) Math.exp(xs.getAtIndex(Elem.F32, in + i) - m);
                        }
                        res = m + Math.log(s);
                    }
                } else {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) m = CpuReduce.combine(ReduceOp.MAX, m, Elem.getDouble(t, xs, in + i));
                    if (Double.isInfinite(m) || Double.isNaN(m)) {
                        res = m;
                    } else {
                        double s = 0;
                        for (int i = 0; i < n; i++) s += Math.exp(Elem.getDouble(t, xs, in + i) - m);
                        res = m + Math.log(s);
                    }
                }
                Elem.setDouble(t, os, r, res);
            }
        });
        if (xd != x.data()) xd.buffer().release();
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }
}
