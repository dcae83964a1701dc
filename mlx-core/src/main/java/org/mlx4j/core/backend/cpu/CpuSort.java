package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.Sort;

/**
 * Sorting along an axis, one line (all positions but the axis fixed) at a time, lines in parallel.
 *
 * <p>Values sort as Java primitives ({@link Arrays#sort}: NaN last). Index sorts of dtypes whose
 * order fits 32 bits pack (order-preserving key, index) into one long, so a primitive long sort is
 * stable and a selection on the same longs partitions (a heap when kth is near either end, as for
 * topk; quickselect otherwise); float64 and int64 use a stable merge sort of indices.
 */
final class CpuSort {
    private CpuSort() {}

    static void register(CpuBackend.Registry r) {
        r.put(Sort.class, CpuSort::sort);
        r.put(ArgSort.class, n -> argsort(n, ((ArgSort) n.primitive()).axis(), -1));
        r.put(ArgPartition.class, n -> argsort(n, ((ArgPartition) n.primitive()).axis(), ((ArgPartition) n.primitive()).kth()));
    }

    /** Element offset of line {@code o} (row-major over every axis but {@code axis}). */
    static long lineOffset(int[] dims, long[] strides, int axis, long base, long o) {
        long off = base;
        for (int a = dims.length - 1; a >= 0; a--) {
            if (a == axis) continue;
            off += (o % dims[a]) * strides[a];
            o /= dims[a];
        }
        return off;
    }

    private static long grain(int n) { return Math.max(1, (1 << 14) / Math.max(1, n)); }

    // ---------------------------------------------------------------- sort

    static void sort(Array node) {
        int axis = ((Sort) node.primitive()).axis();
        Array x = node.input(0);
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment();
        ArrayData xd = x.data();
        MemorySegment xs = xd.buffer().hostSegment();
        int[] dims = x.shape().dims();
        long[] xst = xd.strides(), ost = node.shape().strides();
        int n = dims[axis];
        long xstep = xst[axis], ostep = ost[axis];
        long lines = n == 0 ? 0 : x.size() / n;
        DType t = x.dtype();
        Parallel.forRange(lines, grain(n), (a, b) -> {
            float[] f = t.isFloating() && t != DType.FLOAT64 ? new float[n] : null;
            double[] dd = t == DType.FLOAT64 ? new double[n] : null;
            long[] l = t.isIntegral() ? new long[n] : null;
            for (long line = a; line < b; line++) {
                long xo = lineOffset(dims, xst, axis, xd.offset(), line), oo = lineOffset(dims, ost, axis, 0, line);
                if (t == DType.FLOAT32) {
                    if (xstep == 1) MemorySegment.copy(xs, Elem.F32, xo * 4, f, 0, n);
                    else for (int i = 0; i < n; i++) f[i] = xs.getAtIndex(Elem.F32, xo + i * xstep);
                    Arrays.sort(f);
                    if (ostep == 1) MemorySegment.copy(f, 0, os, Elem.F32, oo * 4, n);
                    else for (int i = 0; i < n; i++) os.setAtIndex(Elem.F32, oo + i * ostep, f[i]);
                } else if (f != null) {
                    for (int i = 0; i < n; i++) f[i] = (float) Elem.getDouble(t, xs, xo + i * xstep);
                    Arrays.sort(f);
                    for (int i = 0; i < n; i++) Elem.setDouble(t, os, oo + i * ostep, f[i]);
                } else if (dd != null) {
                    for (int i = 0; i < n; i++) dd[i] = xs.getAtIndex(Elem.F64, xo + i * xstep);
                    Arrays.sort(dd);
                    for (int i = 0; i < n; i++) os.setAtIndex(Elem.F64, oo + i * ostep, dd[i]);
                } else {
                    for (int i = 0; i < n; i++) l[i] = Elem.getLong(t, xs, xo + i * xstep);
                    Arrays.sort(l);
                    for (int i = 0; i < n; i++) Elem.setLong(t, os, oo + i * ostep, l[i]);
                }
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    // ---------------------------------------------------------------- argsort and argpartition

    /** An int whose signed order is the ascending order of element i (NaN last, -0 equal to 0). */
    static int key32(DType t, MemorySegment xs, long i) {
        if (t.isFloating()) {
            float v = (t == DType.FLOAT32 ? xs.getAtIndex(Elem.F32, i) : (float) Elem.getDouble(t, xs, i)) + 0.0f;
            int bits = Float.floatToIntBits(v); // one canonical NaN, above +inf
            return bits ^ ((bits >> 31) & 0x7fffffff);
        }
        long v = Elem.getLong(t, xs, i);
        return t == DType.UINT32 ? (int) (v ^ 0x80000000L) : (int) v;
    }

    /** Index sort of each line: full and stable when {@code kth < 0}, else a partition around kth. */
    static void argsort(Array node, int axis, int kth) {
        Array x = node.input(0);
        Buffer ob = CpuElementwise.alloc(node);
        MemorySegment os = ob.segment();
        ArrayData xd = x.data();
        MemorySegment xs = xd.buffer().hostSegment();
        int[] dims = x.shape().dims();
        long[] xst = xd.strides(), ost = node.shape().strides();
        int n = dims[axis];
        long xstep = xst[axis], ostep = ost[axis];
        long lines = n == 0 ? 0 : x.size() / n;
        DType t = x.dtype();
        boolean wide = t == DType.FLOAT64 || t == DType.INT64;
        Parallel.forRange(lines, grain(n), (a, b) -> {
            long[] packed = wide ? null : new long[n];
            int[] idx = wide ? new int[n] : null, tmp = wide ? new int[n] : null;
            double[] dk = t == DType.FLOAT64 ? new double[n] : null;
            long[] lk = t == DType.INT64 ? new long[n] : null;
            for (long line = a; line < b; line++) {
                long xo = lineOffset(dims, xst, axis, xd.offset(), line), oo = lineOffset(dims, ost, axis, 0, line);
                if (!wide) packedLine(t, xs, xo, xstep, os, oo, ostep, n, kth, packed);
                else wideLine(xs, xo, xstep, os, oo, ostep, n, idx, tmp, dk, lk);
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    /** One line of a 32-bit-key dtype: pack (key, index), then sort or select. Small, so the JIT compiles it well. */
    private static void packedLine(DType t, MemorySegment xs, long xo, long xstep, MemorySegment os, long oo, long ostep, int n, int kth,
                                   long[] packed) {
        if (t == DType.FLOAT32) {
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToIntBits(xs.getAtIndex(Elem.F32, xo + i * xstep) + 0.0f);
                packed[i] = ((long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32) | i;
            }
        } else {
            for (int i = 0; i < n; i++) packed[i] = ((long) key32(t, xs, xo + i * xstep) << 32) | i;
        }
        if (kth < 0) Arrays.sort(packed, 0, n);
        else if (Math.min(kth + 1, n - kth) <= n / 16) heapSelect(packed, kth);
        else select(packed, kth);
        for (int i = 0; i < n; i++) os.setAtIndex(Elem.I32, oo + i * ostep, (int) packed[i]);
    }

    /** One line of float64 or int64: a stable merge sort of indices (also a valid partition). */
    private static void wideLine(MemorySegment xs, long xo, long xstep, MemorySegment os, long oo, long ostep, int n, int[] idx, int[] tmp,
                                 double[] dk, long[] lk) {
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            if (dk != null) dk[i] = xs.getAtIndex(Elem.F64, xo + i * xstep) + 0.0;
            else lk[i] = xs.getAtIndex(Elem.I64, xo + i * xstep);
        }
        if (dk != null) mergeSort(idx, tmp, 0, n, (p, q) -> Double.compare(dk[p], dk[q]));
        else mergeSort(idx, tmp, 0, n, (p, q) -> Long.compare(lk[p], lk[q]));
        for (int i = 0; i < n; i++) os.setAtIndex(Elem.I32, oo + i * ostep, idx[i]);
    }

    /** Compares the keys of two indices. */
    @FunctionalInterface
    interface IndexOrder { int compare(int p, int q); }

    /** Stable merge sort of idx[lo, hi) (insertion sort on short runs). */
    static void mergeSort(int[] idx, int[] tmp, int lo, int hi, IndexOrder c) {
        if (hi - lo <= 24) {
            for (int i = lo + 1; i < hi; i++) {
                int v = idx[i], j = i - 1;
                while (j >= lo && c.compare(idx[j], v) > 0) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(idx, tmp, lo, mid, c);
        mergeSort(idx, tmp, mid, hi, c);
        if (c.compare(idx[mid - 1], idx[mid]) <= 0) return;
        System.arraycopy(idx, lo, tmp, lo, hi - lo);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) idx[k++] = c.compare(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
        while (i < mid) idx[k++] = tmp[i++];
        while (j < hi) idx[k++] = tmp[j++];
    }

    /**
     * {@link #select} for a k near either end (top-k): a heap of the short side's m elements sees
     * each value once and mostly rejects it with one well-predicted compare, O(n log m). Distinct
     * values; the short side comes out in heap order with the k-th element at position k.
     */
    static void heapSelect(long[] a, int k) {
        int n = a.length;
        boolean top = n - k <= k + 1;           // keep the largest n-k, or the smallest k+1
        int m = top ? n - k : k + 1;
        // a min-heap; for the smallest ones store ~v, which reverses the order of signed longs
        long[] heap = new long[m];
        for (int i = 0; i < m; i++) heap[i] = top ? a[i] : ~a[i];
        for (int i = m / 2 - 1; i >= 0; i--) siftDown(heap, i, m);
        for (int i = m; i < n; i++) {
            long v = top ? a[i] : ~a[i];
            if (v > heap[0]) {
                heap[0] = v;
                siftDown(heap, 0, m);
            }
        }
        boolean[] chosen = new boolean[n];
        for (long h : heap) chosen[(int) (top ? h : ~h)] = true; // the low 32 bits hold the index
        // compact the others onto their side in place (writes never overtake reads)
        if (top) {
            int w = 0;
            for (int i = 0; i < n; i++) if (!chosen[(int) a[i]]) a[w++] = a[i];
        } else {
            int w = n - 1;
            for (int i = n - 1; i >= 0; i--) if (!chosen[(int) a[i]]) a[w--] = a[i];
        }
        // the root is the k-th element; the other heap members fill the short side
        a[k] = top ? heap[0] : ~heap[0];
        int w = top ? k + 1 : 0;
        for (int i = 1; i < m; i++) a[w++] = top ? heap[i] : ~heap[i];
    }

    private static void siftDown(long[] h, int i, int m) {
        long v = h[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= m) break;
            if (c + 1 < m && h[c + 1] < h[c]) c++;
            if (h[c] >= v) break;
            h[i] = h[c];
            i = c;
        }
        h[i] = v;
    }

    /**
     * Rearranges distinct values so a[k] is the k-th smallest, smaller ones before it and larger
     * after (quickselect; falls back to a sort when the partitions keep coming out lopsided).
     */
    static void select(long[] a, int k) {
        int lo = 0, hi = a.length - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(a.length)) + 4;
        while (hi > lo) {
            if (hi - lo < 16 || budget-- == 0) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            long x = a[lo], y = a[mid], z = a[hi];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    long s = a[i];
                    a[i++] = a[j];
                    a[j--] = s;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }
}
