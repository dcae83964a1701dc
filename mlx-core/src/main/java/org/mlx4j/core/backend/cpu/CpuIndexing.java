package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.Concatenate;
import org.mlx4j.core.primitive.Diagonal;
import org.mlx4j.core.primitive.Gather;
import org.mlx4j.core.primitive.Scatter;

/**
 * CPU kernels of the indexing family: concatenate, gather and scatter along an axis, and the
 * diagonal view. Elements are moved as raw bytes, so every dtype works; scatter-add accumulates
 * through {@link Elem} (float32 and float64 directly).
 *
 * <p>Gather and scatter see each operand as (pre axes) x (axis) x (post axes), honouring strides;
 * post axes that collapse to one stride (the usual case) run as rows, and an index broadcast over
 * the post axes (as {@code take} makes it) moves a whole row per index. Indices are wrapped once
 * (negative) and then clamped into range, so no index reads or writes outside the arrays.
 */
final class CpuIndexing {
    private CpuIndexing() {}

    private static final long GRAIN = 1 << 14;

    static void register(CpuBackend.Registry r) {
        r.put(Concatenate.class, CpuIndexing::concatenate);
        r.put(Gather.class, CpuIndexing::gather);
        r.put(Scatter.class, CpuIndexing::scatter);
        r.put(Diagonal.class, CpuIndexing::diagonal);
    }

    // ------------------------------------------------------------------ concatenate

    static void concatenate(Array node) {
        int axis = ((Concatenate) node.primitive()).axis();
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment();
        long[] ost = node.shape().strides();
        int es = node.dtype().size();
        long at = 0;
        for (int k = 0, n = node.inputCount(); k < n; k++) {
            Array a = node.input(k);
            if (a.size() > 0) {
                ArrayData d = a.data();
                MemorySegment as = d.buffer().hostSegment();
                ElementwiseLoop.run(a.shape().dims(), new long[][] {ost, d.strides()}, new long[] {at * ost[axis], d.offset()},
                        (off, st, len) -> copyRow(as, off[1], st[1], os, off[0], st[0], len, es));
            }
            at += a.dim(axis);
        }
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    // ------------------------------------------------------------------ gather

    static void gather(Array node) {
        int axis = ((Gather) node.primitive()).axis();
        Array x = node.input(0), idx = node.input(1);
        Buffer ob = CpuElementwise.alloc(node);
        if (node.size() == 0) {
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        MemorySegment os = ob.segment(), xs = CpuElementwise.seg(x), is = CpuElementwise.seg(idx);
        int[] od = node.shape().dims();
        long pre = prod(od, 0, axis), post = prod(od, axis + 1, od.length);
        int m = od[axis];
        long d = x.dim(axis);
        int es = x.dtype().size();
        DType it = idx.dtype();
        Side xside = Side.of(x, axis), iside = Side.of(idx, axis);
        // one index per row of post elements: move the row at once
        boolean rowIndex = iside.table == null && iside.stride == 0 && xside.table == null;
        Parallel.forRange(pre * m, Math.max(1, GRAIN / post), (a, b) -> {
            long p = a / m;
            int j = (int) (a % m);
            long xpre = xside.pre(p), ipre = iside.pre(p);
            for (long r = a; r < b; r++, j++) {
                if (j == m) {
                    j = 0;
                    p++;
                    xpre = xside.pre(p);
                    ipre = iside.pre(p);
                }
                long ib = ipre + j * iside.axisStride, o = r * post;
                if (rowIndex) {
                    long v = clamp(readIndex(it, is, ib), d);
                    copyRow(xs, xpre + v * xside.axisStride, xside.stride, os, o, 1, post, es);
                } else {
                    for (long q = 0; q < post; q++) {
                        long v = clamp(readIndex(it, is, ib + iside.post(q)), d);
                        copyElem(xs, xpre + v * xside.axisStride + xside.post(q), os, o + q, es);
                    }
                }
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    // ------------------------------------------------------------------ scatter

    static void scatter(Array node) {
        Scatter s = (Scatter) node.primitive();
        int axis = s.axis();
        boolean add = s.add();
        Array x = node.input(0), idx = node.input(1), upd = node.input(2);
        ArrayData out = CpuElementwise.denseCopy(x);
        if (upd.size() == 0) {
            node.setData(out);
            return;
        }
        MemorySegment os = out.buffer().hostSegment(), is = CpuElementwise.seg(idx), us = CpuElementwise.seg(upd);
        int[] ud = upd.shape().dims();
        long pre = prod(ud, 0, axis), post = prod(ud, axis + 1, ud.length);
        int m = ud[axis];
        long d = x.dim(axis);
        DType t = x.dtype(), it = idx.dtype();
        int es = t.size();
        Side iside = Side.of(idx, axis), uside = Side.of(upd, axis);
        boolean rowIndex = iside.table == null && iside.stride == 0 && uside.table == null;
        // each task owns whole (pre, post) columns and walks j in order: no two tasks write one
        // element, and for repeated indices the last j wins (or all add up) deterministically
        Parallel.forRange(pre * post, Math.max(1, GRAIN / m), (a, b) -> {
            for (long p = a / post; p * post < b; p++) {
                long q0 = Math.max(a, p * post) - p * post, q1 = Math.min(b, (p + 1) * post) - p * post;
                long ipre = iside.pre(p), upre = uside.pre(p), opre = p * d * post;
                for (int j = 0; j < m; j++) {
                    long ib = ipre + j * iside.axisStride, ub = upre + j * uside.axisStride;
                    if (rowIndex) {
                        long v = clamp(readIndex(it, is, ib), d);
                        long o = opre + v * post + q0, u = ub + q0 * uside.stride;
                        if (add) addRow(t, us, u, uside.stride, os, o, q1 - q0);
                        else copyRow(us, u, uside.stride, os, o, 1, q1 - q0, es);
                    } else {
                        for (long q = q0; q < q1; q++) {
                            long v = clamp(readIndex(it, is, ib + iside.post(q)), d);
                            long o = opre + v * post + q, u = ub + uside.post(q);
                            if (add) addRow(t, us, u, 1, os, o, 1);
                            else copyElem(us, u, os, o, es);
                        }
                    }
                }
            }
        });
        node.setData(out);
    }

    // ------------------------------------------------------------------ diagonal (a view)

    static void diagonal(Array node) {
        node.setData(org.mlx4j.core.backend.spi.Views.diagonal(node.input(0).data(), (Diagonal) node.primitive(), node.input(0).ndim(), node.shape()));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * One operand's layout around {@code axis}: element offset of a pre position, the axis stride,
     * and the offsets of post positions (one stride when the post axes collapse, else a table).
     */
    private record Side(int[] preDims, long[] preStrides, long base, long axisStride, long stride, long[] table) {
        static Side of(Array a, int axis) {
            ArrayData d = a.data();
            int[] dims = a.shape().dims();
            long[] st = d.strides();
            int n = dims.length;
            int[] pd = java.util.Arrays.copyOf(dims, axis);
            long[] ps = java.util.Arrays.copyOf(st, axis);
            // the post axes collapse to one stride when each one steps as far as all inner ones together
            long stride = 0;
            boolean found = false, uniform = true;
            long expect = 0;
            for (int i = n - 1; i > axis; i--) {
                if (dims[i] == 1) continue;
                if (!found) {
                    stride = st[i];
                    expect = st[i];
                    found = true;
                } else if (st[i] != expect) {
                    uniform = false;
                }
                expect *= dims[i];
            }
            long[] table = null;
            if (!uniform) {
                int post = Math.toIntExact(prod(dims, axis + 1, n));
                table = new long[post];
                int[] pos = new int[n];
                long off = 0;
                for (int q = 0; q < post; q++) {
                    table[q] = off;
                    for (int k = n - 1; k > axis; k--) {
                        if (++pos[k] < dims[k]) {
                            off += st[k];
                            break;
                        }
                        off -= st[k] * (dims[k] - 1);
                        pos[k] = 0;
                    }
                }
            }
            return new Side(pd, ps, d.offset(), st[axis], stride, table);
        }

        /** Element offset of pre position {@code p} (row-major over the pre axes). */
        long pre(long p) {
            long off = base;
            for (int k = preDims.length - 1; k >= 0; k--) {
                off += (p % preDims[k]) * preStrides[k];
                p /= preDims[k];
            }
            return off;
        }

        /** Offset of post position {@code q} relative to the start of its row. */
        long post(long q) { return table == null ? q * stride : table[(int) q]; }
    }

    private static long prod(int[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= d[i];
        return p;
    }

    private static long readIndex(DType t, MemorySegment s, long i) {
        return switch (t) {
            case INT32 -> s.getAtIndex(Elem.I32, i);
            case INT64 -> s.getAtIndex(Elem.I64, i);
            default -> Elem.getLong(t, s, i);
        };
    }

    /** Negative indices count from the end; anything still outside {@code [0, d)} is clamped. */
    private static long clamp(long v, long d) {
        if (v < 0) v += d;
        return v < 0 ? 0 : v >= d ? d - 1 : v;
    }

    private static void copyElem(MemorySegment src, long si, MemorySegment dst, long di, int es) {
        switch (es) {
            case 1 -> dst.set(ValueLayout.JAVA_BYTE, di, src.get(ValueLayout.JAVA_BYTE, si));
            case 2 -> dst.setAtIndex(Elem.I16, di, src.getAtIndex(Elem.I16, si));
            case 4 -> dst.setAtIndex(Elem.I32, di, src.getAtIndex(Elem.I32, si));
            default -> dst.setAtIndex(Elem.I64, di, src.getAtIndex(Elem.I64, si));
        }
    }

    /** Copies {@code len} elements between strided runs (a bulk copy when both are dense). */
    private static void copyRow(MemorySegment src, long so, long ss, MemorySegment dst, long dOff, long ds, long len, int es) {
        if (ss == 1 && ds == 1) {
            MemorySegment.copy(src, so * es, dst, dOff * es, len * es);
            return;
        }
        switch (es) {
            case 1 -> { for (long i = 0; i < len; i++) dst.set(ValueLayout.JAVA_BYTE, dOff + i * ds, src.get(ValueLayout.JAVA_BYTE, so + i * ss)); }
            case 2 -> { for (long i = 0; i < len; i++) dst.setAtIndex(Elem.I16, dOff + i * ds, src.getAtIndex(Elem.I16, so + i * ss)); }
            case 4 -> { for (long i = 0; i < len; i++) dst.setAtIndex(Elem.I32, dOff + i * ds, src.getAtIndex(Elem.I32, so + i * ss)); }
            default -> { for (long i = 0; i < len; i++) dst.setAtIndex(Elem.I64, dOff + i * ds, src.getAtIndex(Elem.I64, so + i * ss)); }
        }
    }

    /** {@code dst[o + i] += src[u + i * us]} for {@code len} elements of dtype {@code t}. */
    private static void addRow(DType t, MemorySegment src, long u, long us, MemorySegment dst, long o, long len) {
        switch (t) {
            case FLOAT32 -> {
                for (long i = 0; i < len; i++) dst.setAtIndex(Elem.F32, o + i, dst.getAtIndex(Elem.F32, o + i) + src.getAtIndex(Elem.F32, u + i * us));
            }
            case FLOAT64 -> {
                for (long i = 0; i < len; i++) dst.setAtIndex(Elem.F64, o + i, dst.getAtIndex(Elem.F64, o + i) + src.getAtIndex(Elem.F64, u + i * us));
            }
            case FLOAT16, BFLOAT16 -> {
                for (long i = 0; i < len; i++) Elem.setDouble(t, dst, o + i, Elem.getDouble(t, dst, o + i) + Elem.getDouble(t, src, u + i * us));
            }
            default -> {
                for (long i = 0; i < len; i++) Elem.setLong(t, dst, o + i, Elem.getLong(t, dst, o + i) + Elem.getLong(t, src, u + i * us));
            }
        }
    }
}
